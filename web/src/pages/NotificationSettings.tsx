import { useQuery } from "@tanstack/react-query";
import { api, data } from "../api/client";
import { queryKeys } from "../api/queryKeys";
import { ErrorState } from "../components/ErrorState";
import { LoadingState } from "../components/LoadingState";
import { PageHeader } from "../components/PageHeader";
import { useProfile } from "../components/RequireAuth";
import { NotificationForm } from "../components/settings/NotificationForm";
import { atLeast, roleLabel } from "../lib/roles";

/**
 * NotificationSettingsPage chooses which events email whom (GET and PUT
 * /api/v1/settings/notifications): for each event type, the roles whose
 * active members get an email. Every member sees the settings; admins and
 * owners change them.
 */
export function NotificationSettingsPage() {
  const me = useProfile();
  const settings = useQuery({
    queryKey: queryKeys.notifications,
    queryFn: () => data(api.GET("/api/v1/settings/notifications")),
  });
  const canEdit = atLeast(me.role, "admin");

  return (
    <>
      <PageHeader
        title="Notifications"
        description="Which events email which roles. Every active member with a chosen role gets an email, with a link to the audit log."
      />
      {!canEdit && (
        <p className="mb-4 text-sm text-slate-600">
          You are a {roleLabel(me.role).toLowerCase()}: only admins and owners change these settings.
        </p>
      )}
      {settings.isPending ? (
        <LoadingState label="Loading notification settings…" />
      ) : settings.isError ? (
        <ErrorState
          title="Could not load the notification settings"
          error={settings.error}
          onRetry={() => void settings.refetch()}
        />
      ) : (
        <NotificationForm rules={settings.data.rules ?? []} canEdit={canEdit} />
      )}
    </>
  );
}
