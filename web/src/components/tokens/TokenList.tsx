import { formatDate } from "../../lib/time";
import { Badge } from "../Badge";
import { Button } from "../Button";
import { type Token, tokenStatus } from "./useTokens";

const statusBadges = {
  active: <Badge tone="success">Active</Badge>,
  expired: <Badge>Expired</Badge>,
  revoked: <Badge tone="danger">Revoked</Badge>,
} as const;

/** The columns of a row on wide screens: token, created, expires, status,
 * actions. */
const columns = "md:grid md:grid-cols-[minmax(0,1fr)_8rem_8rem_6rem_6rem] md:gap-4";

/**
 * TokenList lists the member's tokens (a row each on wide screens, a card
 * each on narrow ones), with a Revoke button on those that still work.
 */
export function TokenList({ tokens, onRevoke }: { tokens: Token[]; onRevoke: (token: Token) => void }) {
  const now = new Date();
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <div
        aria-hidden="true"
        className={
          "hidden border-b border-slate-200 bg-slate-50 px-4 py-2 text-xs font-semibold tracking-wide " +
          "text-slate-600 uppercase " +
          columns
        }
      >
        <span>Token</span>
        <span>Created</span>
        <span>Expires</span>
        <span>Status</span>
        <span className="text-right">Actions</span>
      </div>
      <ul aria-label="Access tokens" className="divide-y divide-slate-200">
        {tokens.map((token) => {
          const status = tokenStatus(token, now);
          return (
            <li key={token.token_id} className={"flex flex-col gap-2 px-4 py-3 text-sm md:items-center " + columns}>
              <div className="min-w-0">
                <p className="truncate font-medium text-slate-900">{token.name}</p>
                <p className="truncate font-mono text-xs text-slate-600">{token.prefix}…</p>
              </div>
              <div className="text-slate-700">
                <span className="text-slate-500 md:sr-only">Created </span>
                <time dateTime={token.created_at}>{formatDate(token.created_at)}</time>
              </div>
              <div className="text-slate-700">
                {status === "revoked" && token.revoked_at ? (
                  <>
                    <span className="text-slate-500 md:sr-only">Revoked </span>
                    <time dateTime={token.revoked_at}>{formatDate(token.revoked_at)}</time>
                  </>
                ) : token.expires_at ? (
                  <>
                    <span className="text-slate-500 md:sr-only">{status === "expired" ? "Expired " : "Expires "}</span>
                    <time dateTime={token.expires_at}>{formatDate(token.expires_at)}</time>
                  </>
                ) : (
                  <>
                    <span className="text-slate-500 md:sr-only">Expires </span>
                    never
                  </>
                )}
              </div>
              <div>{statusBadges[status]}</div>
              <div className="flex md:justify-end">
                {status === "active" && (
                  <Button
                    tone="secondary"
                    className="px-3 py-1.5 text-red-700"
                    aria-label={`Revoke ${token.name}`}
                    onClick={() => onRevoke(token)}
                  >
                    Revoke
                  </Button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
