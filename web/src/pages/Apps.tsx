import { PageHeader } from "../components/PageHeader";

/** AppsPage lists the customer's apps. */
export function AppsPage() {
  return <PageHeader title="Apps" description="The APIs you put behind the gateway: their hostnames, upstreams and how callers authenticate." />;
}
