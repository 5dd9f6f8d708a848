import type { ReactNode, TextareaHTMLAttributes } from "react";
import { controlClass, useFieldIds } from "./fieldIds";
import { FieldNotes } from "./FieldNotes";

/** TextAreaFieldProps are a <textarea>'s, and its label, hint and error. */
export type TextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id"> & {
  label: string;
  hint?: ReactNode;
  error?: string;
};

/** TextAreaField is a <textarea> with its <label>, hint and error. */
export function TextAreaField({ label, hint, error, className = "", ...textarea }: TextAreaFieldProps) {
  const { id, hintId, errorId, describedBy } = useFieldIds(hint, error);
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <textarea
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={"mt-1 font-mono " + controlClass(error)}
        {...textarea}
      />
      <FieldNotes hint={hint} error={error} hintId={hintId} errorId={errorId} />
    </div>
  );
}
