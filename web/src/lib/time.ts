// How times are written on screen: in the reader's own language and time
// zone. The API's times are RFC 3339 strings; a <time> element keeps the
// exact one in its dateTime attribute.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** formatDateTime returns iso as a date and a time of day, or iso itself
 * if it is not a time. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** formatDate returns iso as a date, or iso itself if it is not a time. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

/** isPast tells whether iso is a time before now. */
export function isPast(iso: string, now: Date = new Date()): boolean {
  const date = new Date(iso);
  return !Number.isNaN(date.getTime()) && date.getTime() <= now.getTime();
}

/** localInputToISO turns the value of a datetime-local or date input
 * (the reader's time zone) into an RFC 3339 time in UTC; undefined for an
 * empty or malformed value. */
export function localInputToISO(value: string): string | undefined {
  if (value === "") {
    return undefined;
  }
  const date = new Date(value.length === 10 ? `${value}T00:00` : value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** isoToLocalInput turns an RFC 3339 time into the value of a
 * datetime-local input, in the reader's time zone; "" if it is not a time. */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) {
    return "";
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return "";
  }
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}
