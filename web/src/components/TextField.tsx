import { type InputHTMLAttributes, type ReactNode, useId } from "react";

/** TextFieldProps are an <input>'s, and: */
export type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id"> & {
  /** label names the field, on screen and to screen readers. */
  label: string;
  /** hint says what the field wants; shown under it. */
  hint?: ReactNode;
  /** error says what is wrong with the value; shown under it, in red. */
  error?: string;
  /** trailing sits at the end of the input, e.g. a button. */
  trailing?: ReactNode;
};

/**
 * TextField is an input with its <label>, and its hint and error tied to it
 * with aria-describedby, so that a screen reader reads them with the field.
 */
export function TextField({ label, hint, error, trailing, className = "", ...input }: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : "", error ? errorId : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="mt-1 flex gap-2">
        <input
          id={id}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={
            "block w-full min-w-0 rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm " +
            "placeholder:text-slate-400 " +
            (error ? "border-red-500" : "border-slate-300")
          }
          {...input}
        />
        {trailing}
      </div>
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
    </div>
  );
}
