import { PageHeader } from "../components/PageHeader";

/** NotificationSettingsPage chooses which events email whom. */
export function NotificationSettingsPage() {
  return <PageHeader title="Notifications" description="Which events email which roles." />;
}
