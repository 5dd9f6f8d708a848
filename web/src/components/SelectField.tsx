import { type ReactNode, type SelectHTMLAttributes, useId } from "react";

/** SelectFieldProps are a <select>'s, and: */
export type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, "id"> & {
  /** label names the field, on screen and to screen readers. */
  label: string;
  /** hint says what the field wants; shown under it. */
  hint?: ReactNode;
  /** error says what is wrong with the choice; shown under it, in red. */
  error?: string;
};

/**
 * SelectField is a <select> with its <label>, and its hint and error tied
 * to it with aria-describedby, as TextField does for an input. Its options
 * are its children.
 */
export function SelectField({ label, hint, error, className = "", children, ...select }: SelectFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : "", error ? errorId : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={
          "mt-1 block w-full min-w-0 rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm " +
          (error ? "border-red-500" : "border-slate-300")
        }
        {...select}
      >
        {children}
      </select>
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
