import { useId } from "react";

/**
 * useFieldIds returns the ids that tie a control to its hint and error:
 * the control's own, and its aria-describedby (undefined without either).
 */
export function useFieldIds(hint: unknown, error: unknown) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : "", error ? errorId : ""].filter(Boolean).join(" ") || undefined;
  return { id, hintId, errorId, describedBy };
}

/** controlClass is the look of an input, select or textarea; red with an
 * error. */
export function controlClass(error: unknown): string {
  return (
    "block w-full min-w-0 rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm " +
    "placeholder:text-slate-400 disabled:bg-slate-50 disabled:text-slate-500 " +
    (error ? "border-red-500" : "border-slate-300")
  );
}
