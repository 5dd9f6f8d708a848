import { useQuery } from "@tanstack/react-query";
import { api, data } from "../api/client";
import { queryKeys } from "../api/queryKeys";
import { ErrorState } from "../components/ErrorState";
import { FirstSteps } from "../components/home/FirstSteps";
import { RecentActivity } from "../components/home/RecentActivity";
import { SummaryCards } from "../components/home/SummaryCards";
import { LoadingState } from "../components/LoadingState";
import { PageHeader } from "../components/PageHeader";

/**
 * HomePage is the signed-in member's start page: the account's figures
 * (GET /api/v1/dashboard), each linking to its page, first steps while
 * there are no apps, and the newest events of the audit log.
 */
export function HomePage() {
  const summary = useQuery({ queryKey: queryKeys.dashboard, queryFn: () => data(api.GET("/api/v1/dashboard")) });
  return (
    <>
      <PageHeader title="Overview" description="Your account at a glance: apps, API keys and members." />
      <div className="flex flex-col gap-6">
        {summary.isPending ? (
          <LoadingState label="Loading your account's figures…" />
        ) : summary.isError ? (
          <ErrorState title="Could not load your account's figures" error={summary.error} onRetry={() => void summary.refetch()} />
        ) : (
          <>
            <SummaryCards summary={summary.data} />
            {summary.data.apps.total === 0 && <FirstSteps />}
          </>
        )}
        <RecentActivity />
      </div>
    </>
  );
}
