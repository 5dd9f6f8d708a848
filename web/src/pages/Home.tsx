import { PageHeader } from "../components/PageHeader";

/** HomePage is the signed-in member's start page. */
export function HomePage() {
  return <PageHeader title="Overview" description="Your account at a glance: apps, API keys and members." />;
}
