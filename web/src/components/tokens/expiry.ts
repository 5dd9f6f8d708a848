import { localInputToISO } from "../../lib/time";

/** ExpiryChoice is how long a new token works: a number of days, no end,
 * or until a date of the member's choosing. */
export type ExpiryChoice = "30" | "90" | "365" | "never" | "date";

/** expiryChoices are the choices, in the order they are offered. */
export const expiryChoices: readonly { value: ExpiryChoice; label: string }[] = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "No expiry" },
  { value: "date", label: "On a date…" },
];

/**
 * expiresAt returns the expires_at to send for choice (date is the date
 * input's value, used with "date"), or an error to show. A date means the
 * start of that day in the reader's time zone, and must be after today.
 */
export function expiresAt(
  choice: ExpiryChoice,
  date: string,
  now: Date = new Date(),
): { expiresAt?: string; error?: string } {
  switch (choice) {
    case "never":
      return {};
    case "date": {
      const iso = localInputToISO(date);
      if (!iso) {
        return { error: "Choose the date the token stops working." };
      }
      if (new Date(iso).getTime() <= now.getTime()) {
        return { error: "Choose a date after today." };
      }
      return { expiresAt: iso };
    }
    default:
      return { expiresAt: new Date(now.getTime() + Number(choice) * 24 * 60 * 60 * 1000).toISOString() };
  }
}
