import { Tabs } from "radix-ui";
import { type ReactNode, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { ApiError } from "../api/error";
import { fieldOf } from "../components/apps/appChecks";
import { type App, useApp } from "../components/apps/appQueries";
import { AuthFields, AuthorizeField } from "../components/apps/AuthFields";
import { AppStatusBadge } from "../components/apps/AppStatusBadge";
import { RadioGroup } from "../components/apps/ChoiceGroup";
import { NameFields } from "../components/apps/NameFields";
import { RouteFields } from "../components/apps/RouteFields";
import { UpstreamFields } from "../components/apps/UpstreamFields";
import { Button } from "../components/Button";
import { ErrorState } from "../components/ErrorState";
import type { KeyFilter } from "../components/keys/keyQueries";
import { KeysPanel } from "../components/keys/KeysPanel";
import { LoadingState } from "../components/LoadingState";
import { PageHeader } from "../components/PageHeader";
import { useProfile } from "../components/RequireAuth";
import { atLeast } from "../lib/roles";
import { formatDate } from "../lib/time";
import { type AppTab, appTabs, asTab, tabOf } from "./apps/appTabs";
import { DeleteAppDialog } from "./apps/DeleteAppDialog";
import { SaveBar } from "./apps/SaveBar";
import { useAppEditor } from "./apps/useAppEditor";

const statuses = [
  { value: "active", label: "Active", description: "The gateway serves the app's traffic." },
  { value: "suspended", label: "Suspended", description: "The gateway refuses every request to the app until it is active again." },
] as const;

/**
 * AppDetailPage shows one app (GET /api/v1/apps/{id}) in tabs (the tab in
 * the address, ?tab=): its settings, upstreams and JWT settings, changed
 * together and saved with PUT /api/v1/apps/{id}, and its API keys. An
 * admin can delete it.
 */
export function AppDetailPage() {
  const { id = "" } = useParams();
  const app = useApp(id);
  if (app.data) {
    // A failed refetch keeps what was known.
    return <AppView app={app.data} />;
  }
  return (
    <>
      <PageHeader title="App" />
      {app.isError ? (
        <div className="flex flex-col gap-4">
          <ErrorState
            title="Could not load this app"
            error={app.error}
            onRetry={app.error instanceof ApiError && app.error.status === 404 ? undefined : () => void app.refetch()}
          />
          <Link to="/apps" className="text-sm font-medium text-indigo-700 underline">
            Back to apps
          </Link>
        </div>
      ) : (
        <LoadingState label="Loading the app…" />
      )}
    </>
  );
}

function AppView({ app }: { app: App }) {
  const role = useProfile().role;
  const canEdit = atLeast(role, "developer");
  const canDelete = atLeast(role, "admin");
  const [params, setParams] = useSearchParams();
  const tab = asTab(params.get("tab"));
  const editor = useAppEditor(app);
  const [keyFilter, setKeyFilter] = useState<KeyFilter>({});
  const [deleting, setDeleting] = useState(false);
  const props = { draft: editor.draft, onChange: editor.change, errors: editor.errors };

  function show(next: string) {
    setParams(
      (current) => {
        const search = new URLSearchParams(current);
        search.set("tab", next);
        return search;
      },
      { replace: true },
    );
  }

  function save() {
    const found = editor.submit();
    const first = found && Object.entries(found).find(([, message]) => message);
    const where = first && tabOf(fieldOf(first[0]));
    if (where) {
      show(where);
    }
  }

  const tabsWithProblems = new Set(
    Object.entries(editor.errors)
      .filter(([, message]) => message)
      .map(([key]) => tabOf(fieldOf(key))),
  );

  return (
    <>
      <PageHeader
        title={app.config.name}
        description={
          <>
            <code className="font-mono">{app.config.slug}</code> · <AppStatusBadge status={app.config.status} /> · created{" "}
            {formatDate(app.created_at)}, changed {formatDate(app.updated_at)}
          </>
        }
        actions={
          canDelete && (
            <Button tone="danger" onClick={() => setDeleting(true)}>
              Delete app
            </Button>
          )
        }
      />
      <Link to="/apps" className="-mt-3 mb-4 inline-block text-sm font-medium text-indigo-700 underline">
        All apps
      </Link>
      {!canEdit && (
        <p className="mb-4 text-sm text-slate-600">
          Your role ({role}) can see this app but not change it.
        </p>
      )}
      <Tabs.Root value={tab} onValueChange={show}>
        <Tabs.List aria-label="App sections" className="relative mb-6 flex overflow-x-auto border-b border-slate-200">
          {appTabs.map((one) => (
            <Tabs.Trigger
              key={one.value}
              value={one.value}
              className={
                "-mb-px flex shrink-0 items-center gap-2 border-b-2 border-transparent px-4 py-2 text-sm font-medium " +
                "text-slate-600 hover:text-slate-900 data-[state=active]:border-indigo-600 data-[state=active]:text-indigo-700"
              }
            >
              {one.label}
              {tabsWithProblems.has(one.value) && (
                <>
                  <span aria-hidden="true" className="size-2 rounded-full bg-red-600" />{" "}
                  <span className="sr-only">(needs a change)</span>
                </>
              )}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <TabPanel value="settings" canEdit={canEdit}>
          <NameFields {...props} />
          <RouteFields {...props} />
          <RadioGroup
            legend="Status"
            choices={statuses}
            value={editor.draft.status}
            error={editor.errors.status}
            onChange={(status) => editor.change({ status })}
          />
          <AuthorizeField {...props} />
        </TabPanel>
        <TabPanel value="upstreams" canEdit={canEdit}>
          <UpstreamFields {...props} />
        </TabPanel>
        <TabPanel value="jwt" canEdit={canEdit}>
          <AuthFields {...props} hasSecret={app.has_hs256_secret} />
        </TabPanel>
        <Tabs.Content value="keys" className="outline-none">
          <KeysPanel appId={app.app_id} filter={keyFilter} onFilterChange={setKeyFilter} />
        </Tabs.Content>
      </Tabs.Root>
      {canEdit && <SaveBar editor={editor} onSave={save} />}
      {deleting && <DeleteAppDialog app={app} onClose={() => setDeleting(false)} />}
    </>
  );
}

/** TabPanel is a tab of the app's configuration; its fields are disabled
 * for a member who cannot change the app. */
function TabPanel({ value, canEdit, children }: { value: AppTab; canEdit: boolean; children: ReactNode }) {
  return (
    <Tabs.Content value={value} className="outline-none">
      <fieldset disabled={!canEdit} className="flex max-w-3xl min-w-0 flex-col gap-6">
        {children}
      </fieldset>
    </Tabs.Content>
  );
}
