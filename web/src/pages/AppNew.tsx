import { PageHeader } from "../components/PageHeader";

/** AppNewPage creates an app. */
export function AppNewPage() {
  return <PageHeader title="New app" description="Put one of your APIs behind the gateway: where it is reached, where requests go, and how callers authenticate." />;
}
