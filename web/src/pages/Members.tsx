import { PageHeader } from "../components/PageHeader";

/** MembersPage lists the customer's members and invitations. */
export function MembersPage() {
  return <PageHeader title="Members" description="The people who can sign in to this dashboard, their roles, and pending invitations." />;
}
