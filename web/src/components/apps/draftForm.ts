import type { AppDraft } from "./appDraft";
import type { DraftErrors } from "./appChecks";

/** DraftFormProps are what each part of the app forms takes: the draft,
 * a change to some of its fields, and the errors to show. */
export type DraftFormProps = {
  draft: AppDraft;
  onChange: (patch: Partial<AppDraft>) => void;
  errors: DraftErrors;
};

/** rowErrors returns the errors of a list's rows, by index:
 * "hostnames.2" → {2: …}. */
export function rowErrors(errors: DraftErrors, field: string, part?: string): Record<number, string | undefined> {
  const rows: Record<number, string | undefined> = {};
  for (const [key, message] of Object.entries(errors)) {
    const [name, index, rest] = key.split(".");
    if (name === field && index !== undefined && rest === part) {
      rows[Number(index)] = message;
    }
  }
  return rows;
}
