import { type FormEvent, useId, useState } from "react";
import { isoToLocalInput, localInputToISO } from "../../lib/time";
import { Button } from "../Button";
import { useMembers } from "../members/useMembers";
import { SelectField } from "../SelectField";
import { TextField } from "../TextField";
import { aggregates, eventTypes } from "./events";
import type { AuditFilters } from "./filters";

/**
 * AuditFilterForm edits the audit log's filters and applies them on
 * submit. Its fields start from filters: give it a key that changes with
 * them, so that it starts over when they change elsewhere.
 */
export function AuditFilterForm({
  filters,
  onApply,
}: {
  filters: AuditFilters;
  onApply: (filters: AuditFilters) => void;
}) {
  const members = useMembers().data?.members ?? [];
  const typesId = useId();
  const [type, setType] = useState(filters.type ?? "");
  const [aggregate, setAggregate] = useState(filters.aggregate ?? "");
  const [aggregateId, setAggregateId] = useState(filters.aggregate_id ?? "");
  const [actor, setActor] = useState(filters.actor ?? "");
  const [since, setSince] = useState(isoToLocalInput(filters.since));
  const [until, setUntil] = useState(isoToLocalInput(filters.until));
  const [rangeError, setRangeError] = useState<string>();
  const knownActor = actor === "" || members.some((member) => member.member_id === actor);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const from = localInputToISO(since);
    const to = localInputToISO(until);
    if (from && to && from >= to) {
      setRangeError("Choose an end after the start.");
      return;
    }
    onApply({
      type: type.trim(),
      aggregate,
      aggregate_id: aggregateId.trim(),
      actor: actor.trim(),
      since: from,
      until: to,
    });
  }

  function clear() {
    setType("");
    setAggregate("");
    setAggregateId("");
    setActor("");
    setSince("");
    setUntil("");
    setRangeError(undefined);
    onApply({});
  }

  return (
    <form
      noValidate
      onSubmit={submit}
      aria-label="Filter events"
      className="mb-6 rounded-lg border border-slate-200 bg-white p-4"
    >
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <TextField
          label="Event type"
          name="type"
          list={typesId}
          autoComplete="off"
          spellCheck={false}
          placeholder="e.g. member.logged_in"
          value={type}
          onChange={(event) => setType(event.target.value)}
        />
        <datalist id={typesId}>
          {eventTypes.map((one) => (
            <option key={one} value={one} />
          ))}
        </datalist>
        <SelectField
          label="Actor"
          name="actor"
          value={actor}
          onChange={(event) => setActor(event.target.value)}
        >
          <option value="">Anyone</option>
          {members.map((member) => (
            <option key={member.member_id} value={member.member_id}>
              {member.email}
            </option>
          ))}
          {!knownActor && <option value={actor}>{actor}</option>}
        </SelectField>
        <SelectField
          label="Resource kind"
          name="aggregate"
          value={aggregate}
          onChange={(event) => setAggregate(event.target.value)}
        >
          <option value="">Any</option>
          {aggregates.map((one) => (
            <option key={one.value} value={one.value}>
              {one.label}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Resource id"
          name="aggregate_id"
          autoComplete="off"
          spellCheck={false}
          hint="An app's, API key's or member's id."
          value={aggregateId}
          onChange={(event) => setAggregateId(event.target.value)}
        />
        <TextField
          label="From"
          name="since"
          type="datetime-local"
          value={since}
          onChange={(event) => {
            setSince(event.target.value);
            setRangeError(undefined);
          }}
        />
        <TextField
          label="Until"
          name="until"
          type="datetime-local"
          value={until}
          error={rangeError}
          onChange={(event) => {
            setUntil(event.target.value);
            setRangeError(undefined);
          }}
        />
      </div>
      <div className="mt-4 flex flex-wrap gap-2">
        <Button type="submit">Apply filters</Button>
        <Button tone="secondary" onClick={clear}>
          Clear filters
        </Button>
      </div>
    </form>
  );
}
