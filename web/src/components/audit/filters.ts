/**
 * AuditFilters are the audit log's filters, as GET /api/v1/audit takes
 * them: an event type, a kind of thing (aggregate) and one thing's id, an
 * actor's id, and a time range (RFC 3339). The page keeps them in its
 * address, so that a filtered log can be linked to.
 */
export type AuditFilters = {
  type?: string;
  aggregate?: string;
  aggregate_id?: string;
  actor?: string;
  since?: string;
  until?: string;
};

const names = ["type", "aggregate", "aggregate_id", "actor", "since", "until"] as const;

/** readFilters returns the filters in an address's query; blank ones are
 * left out. */
export function readFilters(params: URLSearchParams): AuditFilters {
  const filters: AuditFilters = {};
  for (const name of names) {
    const value = params.get(name)?.trim();
    if (value) {
      filters[name] = value;
    }
  }
  return filters;
}

/** filterParams returns the query of an address holding filters. */
export function filterParams(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of names) {
    const value = filters[name]?.trim();
    if (value) {
      params.set(name, value);
    }
  }
  return params;
}

/** hasFilters tells whether any filter is set. */
export function hasFilters(filters: AuditFilters): boolean {
  return names.some((name) => Boolean(filters[name]));
}
