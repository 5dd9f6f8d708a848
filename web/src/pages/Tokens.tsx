import { PageHeader } from "../components/PageHeader";

/** TokensPage lists the member's personal access tokens. */
export function TokensPage() {
  return <PageHeader title="Access tokens" description="Personal access tokens let the aegis CLI and your scripts act as you. A token is shown once, when it is created." />;
}
