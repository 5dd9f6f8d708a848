import { Link } from "react-router";
import { formatDateTime } from "../../lib/time";
import { describeEvent } from "../audit/events";
import { useRecentEvents } from "../audit/useAuditLog";
import { useActorName } from "../audit/useActorName";
import { ErrorState } from "../ErrorState";
import { LoadingState } from "../LoadingState";

/** How many events the start page shows. */
const recent = 5;

/**
 * RecentActivity shows the newest events of the audit log (GET
 * /api/v1/audit with a small limit), with a link to the whole log.
 */
export function RecentActivity() {
  const events = useRecentEvents(recent);
  const actorName = useActorName();
  const list = events.data?.events ?? [];
  return (
    <section aria-labelledby="recent-activity" className="rounded-lg border border-slate-200 bg-white">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
        <h2 id="recent-activity" className="text-base font-semibold text-slate-900">
          Recent activity
        </h2>
        <Link to="/audit" className="text-sm font-medium text-indigo-700 underline">
          View the audit log
        </Link>
      </div>
      <div className="px-4">
        {events.isPending ? (
          <LoadingState label="Loading recent activity…" />
        ) : events.isError ? (
          <div className="py-4">
            <ErrorState title="Could not load recent activity" error={events.error} onRetry={() => void events.refetch()} />
          </div>
        ) : list.length === 0 ? (
          <p className="py-6 text-sm text-slate-600">Nothing has happened yet.</p>
        ) : (
          <ol aria-label="Recent events" className="divide-y divide-slate-200">
            {list.map((event) => (
              <li key={event.id} className="flex flex-col gap-0.5 py-3 text-sm sm:flex-row sm:items-baseline sm:gap-4">
                <time dateTime={event.occurred_at} className="shrink-0 text-slate-600 sm:w-44">
                  {formatDateTime(event.occurred_at)}
                </time>
                <span className="min-w-0 break-words text-slate-900">
                  {describeEvent(event)} <span className="text-slate-600">by {actorName(event.actor)}</span>
                </span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
