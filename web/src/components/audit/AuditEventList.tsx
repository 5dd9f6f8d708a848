import { useId, useState } from "react";
import { formatDateTime } from "../../lib/time";
import { Button } from "../Button";
import { useMembers } from "../members/useMembers";
import { type AuditEvent, aggregateLabel, describeEvent } from "./events";
import type { AuditFilters } from "./filters";
import { useActorName } from "./useActorName";

/**
 * AuditEventList lists events, newest first: when, what, who and on
 * what, with a button that shows each one's details (ids, revision,
 * payload) and filters by its actor or its resource.
 */
export function AuditEventList({
  events,
  onFilter,
}: {
  events: AuditEvent[];
  onFilter: (filters: AuditFilters) => void;
}) {
  return (
    <ol aria-label="Events" className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
      {events.map((event) => (
        <EventItem key={event.id} event={event} onFilter={onFilter} />
      ))}
    </ol>
  );
}

function EventItem({ event, onFilter }: { event: AuditEvent; onFilter: (filters: AuditFilters) => void }) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const actorName = useActorName();
  const members = useMembers().data?.members;
  const description = describeEvent(event);
  const subject =
    event.aggregate === "member"
      ? members?.find((member) => member.member_id === event.aggregate_id)?.email
      : undefined;

  return (
    <li className="px-4 py-3 text-sm">
      <div className="flex flex-col gap-2 md:flex-row md:items-start md:gap-4">
        <time dateTime={event.occurred_at} className="shrink-0 text-slate-600 md:w-44">
          {formatDateTime(event.occurred_at)}
        </time>
        <div className="min-w-0 flex-1">
          <p className="font-medium break-words text-slate-900">{description}</p>
          <p className="mt-0.5 flex flex-wrap gap-x-3 gap-y-1 text-slate-600">
            <span>
              <span className="sr-only">Type: </span>
              <code className="font-mono text-xs">{event.type}</code>
            </span>
            <span>by {actorName(event.actor)}</span>
            <span className="break-all">
              on {aggregateLabel(event.aggregate)}
              {subject && ` ${subject}`}
            </span>
          </p>
        </div>
        <Button
          tone="quiet"
          className="self-start px-2 py-1"
          aria-expanded={open}
          aria-controls={detailsId}
          onClick={() => setOpen(!open)}
        >
          {open ? "Hide details" : "Details"}
          <span className="sr-only">{`: ${description}, ${formatDateTime(event.occurred_at)}`}</span>
        </Button>
      </div>
      <div id={detailsId} hidden={!open} className="mt-3 md:ml-48">
        {open && <EventDetails event={event} actor={actorName(event.actor)} onFilter={onFilter} />}
      </div>
    </li>
  );
}

function EventDetails({
  event,
  actor,
  onFilter,
}: {
  event: AuditEvent;
  actor: string;
  onFilter: (filters: AuditFilters) => void;
}) {
  const actorId = event.actor.id;
  return (
    <div className="flex flex-col gap-3 rounded-md bg-slate-50 p-3">
      <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[8rem_minmax(0,1fr)]">
        <dt className="font-medium text-slate-700">Event id</dt>
        <dd className="font-mono text-xs break-all text-slate-900">{event.id}</dd>
        <dt className="font-medium text-slate-700">Revision</dt>
        <dd className="text-slate-900">{event.revision}</dd>
        <dt className="font-medium text-slate-700">Occurred at</dt>
        <dd className="font-mono text-xs break-all text-slate-900">{event.occurred_at}</dd>
        <dt className="font-medium text-slate-700">Actor</dt>
        <dd className="break-all text-slate-900">
          {actor} <span className="text-slate-600">({event.actor.kind}{actorId ? ` ${actorId}` : ""})</span>
        </dd>
        <dt className="font-medium text-slate-700">Resource</dt>
        <dd className="break-all text-slate-900">
          {aggregateLabel(event.aggregate)} <span className="font-mono text-xs">{event.aggregate_id}</span>
        </dd>
      </dl>
      <div>
        <p className="font-medium text-slate-700">Payload</p>
        <pre className="mt-1 max-h-80 overflow-auto rounded border border-slate-200 bg-white p-2 font-mono text-xs text-slate-900">
          {JSON.stringify(event.payload ?? null, null, 2)}
        </pre>
      </div>
      <div className="flex flex-wrap gap-2">
        {actorId && (
          <Button tone="secondary" className="px-3 py-1.5" onClick={() => onFilter({ actor: actorId })}>
            Only this actor's events
          </Button>
        )}
        <Button
          tone="secondary"
          className="px-3 py-1.5"
          onClick={() => onFilter({ aggregate: event.aggregate, aggregate_id: event.aggregate_id })}
        >
          Only this resource's events
        </Button>
      </div>
    </div>
  );
}
