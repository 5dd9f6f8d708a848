import { Badge } from "../Badge";

/** AppStatusBadge shows whether the gateway serves an app. */
export function AppStatusBadge({ status }: { status: string }) {
  return status === "active" ? <Badge tone="success">Active</Badge> : <Badge tone="warning">Suspended</Badge>;
}
