import type { ReactNode } from "react";

/** FieldNotes shows a control's hint and error under it, with the ids its
 * aria-describedby names. */
export function FieldNotes({
  hint,
  error,
  hintId,
  errorId,
}: {
  hint?: ReactNode;
  error?: string;
  hintId: string;
  errorId: string;
}) {
  return (
    <>
      {hint && (
        <div id={hintId} className="mt-1 text-sm text-slate-600">
          {hint}
        </div>
      )}
      {error && (
        <p id={errorId} className="mt-1 text-sm font-medium text-red-700">
          {error}
        </p>
      )}
    </>
  );
}
