import { Link } from "react-router";
import { type App, useApps } from "../components/apps/appQueries";
import { AppStatusBadge } from "../components/apps/AppStatusBadge";
import { authModeLabel } from "../components/apps/AuthFields";
import { routesOf } from "../components/apps/routes";
import { type Column, StackedTable } from "../components/apps/StackedTable";
import { EmptyState } from "../components/EmptyState";
import { ErrorState } from "../components/ErrorState";
import { LoadingState } from "../components/LoadingState";
import { PageHeader } from "../components/PageHeader";
import { useProfile } from "../components/RequireAuth";
import { atLeast } from "../lib/roles";

const linkButton =
  "inline-flex items-center justify-center gap-2 rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700";

const columns: Column<App>[] = [
  {
    header: "Name",
    primary: true,
    cell: (app) => (
      <>
        <Link to={`/apps/${app.app_id}`} className="font-semibold text-indigo-700 underline-offset-2 hover:underline">
          {app.config.name}
        </Link>
        <span className="block font-mono text-xs text-slate-500">{app.config.slug}</span>
      </>
    ),
  },
  {
    header: "Routes",
    cell: (app) => (
      <ul className="font-mono text-xs text-slate-800">
        {routesOf(app.config).map((route) => (
          <li key={route} className="break-all">
            {route}
          </li>
        ))}
      </ul>
    ),
  },
  { header: "Authentication", cell: (app) => authModeLabel(app.config.auth_mode) },
  { header: "Status", cell: (app) => <AppStatusBadge status={app.config.status} /> },
  {
    header: "Upstreams",
    cell: (app) => {
      const count = app.config.upstreams?.length ?? 0;
      return `${count} ${count === 1 ? "upstream" : "upstreams"}`;
    },
  },
];

/**
 * AppsPage lists the customer's apps (GET /api/v1/apps): where each is
 * reached, how its callers authenticate, whether it is served, and how
 * many upstreams it has; each links to its page.
 */
export function AppsPage() {
  const apps = useApps();
  const canCreate = atLeast(useProfile().role, "developer");
  const newApp = canCreate && (
    <Link to="/apps/new" className={linkButton}>
      New app
    </Link>
  );

  return (
    <>
      <PageHeader
        title="Apps"
        description="The APIs you put behind the gateway: their hostnames, upstreams and how callers authenticate."
        actions={apps.data && apps.data.length > 0 ? newApp : undefined}
      />
      {apps.data ? (
        apps.data.length > 0 ? (
          <StackedTable caption="Your apps" columns={columns} rows={apps.data} rowKey={(app) => app.app_id} />
        ) : (
          <EmptyState
            title="No apps yet"
            description={
              canCreate
                ? "Create your first app: give the gateway a hostname to answer and an upstream to send requests to."
                : "When a developer of your team creates an app, it is listed here."
            }
            action={
              canCreate && (
                <Link to="/apps/new" className={linkButton}>
                  Create your first app
                </Link>
              )
            }
          />
        )
      ) : apps.isError ? (
        <ErrorState title="Could not load your apps" error={apps.error} onRetry={() => void apps.refetch()} />
      ) : (
        <LoadingState label="Loading apps…" />
      )}
    </>
  );
}
