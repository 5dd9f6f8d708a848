import { useSearchParams } from "react-router";
import { AuditEventList } from "../components/audit/AuditEventList";
import { AuditFilterForm } from "../components/audit/AuditFilterForm";
import { type AuditFilters, filterParams, hasFilters, readFilters } from "../components/audit/filters";
import { useAuditLog } from "../components/audit/useAuditLog";
import { Button } from "../components/Button";
import { EmptyState } from "../components/EmptyState";
import { ErrorState } from "../components/ErrorState";
import { LoadingState } from "../components/LoadingState";
import { PageHeader } from "../components/PageHeader";

/**
 * AuditPage lists the customer's events, newest first (GET
 * /api/v1/audit), filtered by event type, actor, resource and time range,
 * a page at a time with the API's cursor. The filters live in the
 * address (/audit?type=member.invited), so a filtered log can be linked
 * to.
 */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const log = useAuditLog(filters);
  const events = log.data?.pages.flatMap((page) => page.events ?? []) ?? [];
  const apply = (next: AuditFilters) => setParams(filterParams(next));
  const filtered = hasFilters(filters);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Everything that changed in your account, who did it and when, newest first."
      />
      <AuditFilterForm key={params.toString()} filters={filters} onApply={apply} />
      {log.isPending ? (
        <LoadingState label="Loading events…" />
      ) : log.isError && !log.isFetchNextPageError ? (
        <ErrorState title="Could not load the audit log" error={log.error} onRetry={() => void log.refetch()} />
      ) : events.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No events match these filters"
            description="Widen the time range, or clear the filters to see every event."
            action={
              <Button tone="secondary" onClick={() => apply({})}>
                Clear filters
              </Button>
            }
          />
        ) : (
          <EmptyState title="No events yet" description="What you and your team change shows here." />
        )
      ) : (
        <>
          <AuditEventList events={events} onFilter={apply} />
          <div className="mt-4 flex flex-col items-center gap-2 text-sm text-slate-600">
            <p role="status">
              {`${events.length} ${events.length === 1 ? "event" : "events"} shown${log.hasNextPage ? "" : ", the oldest included"}`}
            </p>
            {log.isFetchNextPageError && (
              <ErrorState title="Could not load more events" error={log.error} onRetry={() => void log.fetchNextPage()} />
            )}
            {log.hasNextPage && !log.isFetchNextPageError && (
              <Button tone="secondary" pending={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
                {log.isFetchingNextPage ? "Loading…" : "Load more events"}
              </Button>
            )}
          </div>
        </>
      )}
    </>
  );
}
