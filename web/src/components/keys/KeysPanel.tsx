import { useState } from "react";
import { Link } from "react-router";
import { useApps } from "../apps/appQueries";
import { Button } from "../Button";
import { EmptyState } from "../EmptyState";
import { ErrorState } from "../ErrorState";
import { LoadingState } from "../LoadingState";
import { useProfile } from "../RequireAuth";
import { SelectField } from "../SelectField";
import { atLeast } from "../../lib/roles";
import { CreateKeyDialog } from "./CreateKeyDialog";
import { type ApiKey, asEnvironment, environments, type KeyFilter, useKeys } from "./keyQueries";
import { KeyTable } from "./KeyTable";
import { RevokeKeyDialog } from "./RevokeKeyDialog";
import { RotateKeyDialog } from "./RotateKeyDialog";

type Dialog = { kind: "create" } | { kind: "rotate"; key: ApiKey } | { kind: "revoke"; key: ApiKey };

const linkButton =
  "inline-flex items-center justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700";

/**
 * KeysPanel lists API keys, filtered by app and environment, and creates,
 * rotates and revokes them. With appId, it shows that app's keys only and
 * has no app filter; otherwise the filter is the caller's (the keys page
 * keeps it in the address).
 */
export function KeysPanel({
  appId,
  filter,
  onFilterChange,
}: {
  appId?: string;
  filter: KeyFilter;
  onFilterChange: (filter: KeyFilter) => void;
}) {
  const fixed = appId !== undefined;
  const chosen: KeyFilter = fixed ? { ...filter, appId } : filter;
  const keys = useKeys(chosen, fixed);
  const apps = useApps();
  const canWrite = atLeast(useProfile().role, "developer");
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);

  const appList = apps.data ?? [];
  const noApps = !fixed && apps.data !== undefined && appList.length === 0;
  const filtered = chosen.environment !== undefined || (!fixed && chosen.appId !== undefined);
  // An empty list offers to create the first key itself.
  const emptyOffersCreate = keys.data?.length === 0 && !filtered && !noApps;
  const createButton = canWrite && !noApps && (
    <Button disabled={!fixed && !apps.data} onClick={() => setDialog({ kind: "create" })}>
      Create key
    </Button>
  );

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end gap-3">
        {!fixed && (
          <SelectField
            label="App"
            name="app"
            className="w-full sm:w-56"
            value={chosen.appId ?? ""}
            onChange={(event) => onFilterChange({ ...filter, appId: event.target.value || undefined })}
          >
            <option value="">All apps</option>
            {appList.map((app) => (
              <option key={app.app_id} value={app.app_id}>
                {app.config.name}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField
          label="Environment"
          name="environment"
          className="w-full sm:w-48"
          value={chosen.environment ?? ""}
          onChange={(event) => onFilterChange({ ...filter, environment: asEnvironment(event.target.value) })}
        >
          <option value="">All environments</option>
          {environments.map((one) => (
            <option key={one.value} value={one.value}>
              {one.label}
            </option>
          ))}
        </SelectField>
        {createButton && !emptyOffersCreate && <div className="sm:ml-auto">{createButton}</div>}
      </div>

      {keys.data ? (
        keys.data.length > 0 ? (
          <KeyTable
            keys={keys.data}
            apps={appList}
            showApp={!fixed}
            now={new Date()}
            onRotate={canWrite ? (key) => setDialog({ kind: "rotate", key }) : undefined}
            onRevoke={canWrite ? (key) => setDialog({ kind: "revoke", key }) : undefined}
          />
        ) : filtered ? (
          <EmptyState
            title="No keys match"
            description="No key is of the app and environment chosen."
            action={
              <Button tone="secondary" onClick={() => onFilterChange({})}>
                Show all keys
              </Button>
            }
          />
        ) : noApps ? (
          <EmptyState
            title="No API keys yet"
            description="A key belongs to an app: create an app first, then its keys."
            action={
              canWrite && (
                <Link to="/apps/new" className={linkButton}>
                  Create an app
                </Link>
              )
            }
          />
        ) : (
          <EmptyState
            title="No API keys yet"
            description={
              canWrite
                ? "Create a key for each caller and environment. It is shown once, when it is created."
                : "When a developer of your team creates a key, it is listed here."
            }
            action={createButton || undefined}
          />
        )
      ) : keys.isError ? (
        <ErrorState title="Could not load the API keys" error={keys.error} onRetry={() => void keys.refetch()} />
      ) : (
        <LoadingState label="Loading API keys…" />
      )}

      {dialog?.kind === "create" && (
        <CreateKeyDialog
          apps={appList}
          appId={chosen.appId}
          environment={chosen.environment}
          fixedApp={fixed}
          onClose={close}
        />
      )}
      {dialog?.kind === "rotate" && <RotateKeyDialog apiKey={dialog.key} onClose={close} />}
      {dialog?.kind === "revoke" && <RevokeKeyDialog apiKey={dialog.key} onClose={close} />}
    </div>
  );
}
