import type { ReactNode } from "react";
import { useFieldIds } from "./fieldIds";
import { FieldNotes } from "./FieldNotes";

/**
 * Fieldset groups controls under a legend, with a hint and an error for
 * the group as a whole.
 */
export function Fieldset({
  legend,
  hint,
  error,
  children,
  className = "",
}: {
  legend: string;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
  className?: string;
}) {
  const { hintId, errorId, describedBy } = useFieldIds(hint, error);
  return (
    <fieldset aria-describedby={describedBy} className={"min-w-0 " + className}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <FieldNotes hint={hint} hintId={hintId} errorId={errorId} />
      <div className="mt-2">{children}</div>
      <FieldNotes error={error} hintId={hintId} errorId={errorId} />
    </fieldset>
  );
}
