/**
 * The login page's ?next= is where a visitor was going when they were
 * asked to sign in. Only a path of this site is followed, so that a link
 * to the login page cannot send someone elsewhere after they sign in.
 */

/** loginPath returns the login page's address that leads back to path. */
export function loginPath(path: string): string {
  const next = safeNext(path);
  return next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
}

/** safeNext returns next if it is a path of this site worth going back
 * to, and "/" otherwise. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) {
    return "/";
  }
  const path = next.split(/[?#]/, 1)[0];
  if (path === "/login" || path === "/logout") {
    return "/";
  }
  return next;
}
