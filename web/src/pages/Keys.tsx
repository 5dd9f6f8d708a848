import { PageHeader } from "../components/PageHeader";

/** KeysPage lists the customer's API keys across apps. */
export function KeysPage() {
  return <PageHeader title="API keys" description="The keys your callers use, per app and environment. A key is shown once, when it is created or rotated." />;
}
