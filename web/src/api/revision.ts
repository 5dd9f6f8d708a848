/**
 * The highest event log revision this page has seen in an answer. The
 * client sends it as Aegis-Min-Revision, so the read models answer only
 * once they include the page's own writes: a list shows the app just
 * created, at once.
 *
 * Revisions are positions in one event log, shared by every customer, so
 * the highest one is always safe to wait for. It lives as long as the
 * page does.
 */
let highest = 0;

/** seenRevision returns the highest revision seen, 0 for none. */
export function seenRevision(): number {
  return highest;
}

/** noteRevision remembers revision if it is higher than any seen. */
export function noteRevision(revision: unknown): void {
  if (typeof revision === "number" && Number.isSafeInteger(revision) && revision > highest) {
    highest = revision;
  }
}

/** forgetRevision starts over from 0; for tests. */
export function forgetRevision(): void {
  highest = 0;
}
