import { Link } from "react-router";
import { Badge } from "../Badge";
import type { App } from "../apps/appQueries";
import { type Column, StackedTable } from "../apps/StackedTable";
import { Button } from "../Button";
import { formatDate, formatDateTime, isPast } from "../../lib/time";
import type { ApiKey } from "./keyQueries";

const environmentTones = {
  production: "info",
  staging: "warning",
  development: "neutral",
} as const;

/**
 * KeyTable lists API keys, masked as the API gives them: a table on wide
 * screens, cards on narrow ones. With onRotate and onRevoke, an active key
 * has buttons for them. apps names each key's app (a column left out with
 * showApp false).
 */
export function KeyTable({
  keys,
  apps,
  showApp,
  now,
  onRotate,
  onRevoke,
}: {
  keys: ApiKey[];
  apps: App[];
  showApp: boolean;
  now: Date;
  onRotate?: (key: ApiKey) => void;
  onRevoke?: (key: ApiKey) => void;
}) {
  const appName = (id: string) => apps.find((app) => app.app_id === id)?.config.name;
  const columns: Column<ApiKey>[] = [
    {
      header: "Key",
      primary: true,
      cell: (key) => (
        <>
          <span className="block font-semibold text-slate-900">{key.name}</span>
          <code className="block font-mono text-xs whitespace-nowrap text-slate-600">{key.masked}</code>
          {key.rate_limit && (
            <span className="block text-xs text-slate-600">
              Limit: {key.rate_limit.requests.toLocaleString("en")} per {key.rate_limit.period_seconds.toLocaleString("en")} s
            </span>
          )}
        </>
      ),
    },
    ...(showApp
      ? [
          {
            header: "App",
            cell: (key: ApiKey) => (
              <Link to={`/apps/${key.app_id}`} className="text-indigo-700 underline-offset-2 hover:underline">
                {appName(key.app_id) ?? "Deleted app"}
              </Link>
            ),
          },
        ]
      : []),
    {
      header: "Environment",
      cell: (key) => (
        <Badge tone={environmentTones[key.environment as keyof typeof environmentTones] ?? "neutral"}>
          {capitalize(key.environment)}
        </Badge>
      ),
    },
    {
      header: "Scopes",
      cell: (key) =>
        key.scopes && key.scopes.length > 0 ? (
          <ul className="flex flex-wrap gap-1">
            {key.scopes.map((scope) => (
              <li key={scope}>
                <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{scope}</code>
              </li>
            ))}
          </ul>
        ) : (
          <span className="text-slate-500">None</span>
        ),
    },
    {
      header: "Tenant",
      cell: (key) =>
        key.tenant_id ? (
          <code className="font-mono text-xs break-all">{key.tenant_id}</code>
        ) : (
          <span className="text-slate-500">Any</span>
        ),
    },
    {
      header: "Expires",
      cell: (key) => (key.expires_at ? <When iso={key.expires_at} /> : <span className="text-slate-500">Never</span>),
    },
    {
      header: "Status",
      cell: (key) => <KeyStatus apiKey={key} now={now} />,
    },
    { header: "Created", cell: (key) => <When iso={key.created_at} /> },
  ];
  if (onRotate || onRevoke) {
    columns.push({
      header: "Actions",
      hideHeader: true,
      className: "md:text-right",
      emptyFor: (key) => key.status !== "active",
      cell: (key) =>
        key.status === "active" ? (
          <div className="flex flex-wrap gap-2 pt-2 md:flex-nowrap md:justify-end md:pt-0">
            {onRotate && (
              <Button tone="secondary" className="px-3 py-1.5" aria-label={`Rotate ${key.name}`} onClick={() => onRotate(key)}>
                Rotate
              </Button>
            )}
            {onRevoke && (
              <Button
                tone="secondary"
                className="px-3 py-1.5 text-red-700"
                aria-label={`Revoke ${key.name}`}
                onClick={() => onRevoke(key)}
              >
                Revoke
              </Button>
            )}
          </div>
        ) : null,
    });
  }
  return <StackedTable caption="API keys" columns={columns} rows={keys} rowKey={(key) => key.key_id} />;
}

function KeyStatus({ apiKey, now }: { apiKey: ApiKey; now: Date }) {
  if (apiKey.status === "revoked") {
    return (
      <span className="flex flex-col items-start gap-0.5">
        <Badge tone="neutral">Revoked</Badge>
        {apiKey.revoked_at && <span className="text-xs whitespace-nowrap text-slate-600">{formatDate(apiKey.revoked_at)}</span>}
      </span>
    );
  }
  const expired = apiKey.expires_at !== undefined && isPast(apiKey.expires_at, now);
  return (
    <span className="flex flex-col items-start gap-0.5">
      {expired ? <Badge tone="warning">Expired</Badge> : <Badge tone="success">Active</Badge>}
      {apiKey.rotated_at && (
        <span className="text-xs whitespace-nowrap text-slate-600">Rotated {formatDate(apiKey.rotated_at)}</span>
      )}
    </span>
  );
}

function When({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className="whitespace-nowrap">
      {formatDate(iso)}
    </time>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
