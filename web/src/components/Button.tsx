import type { ButtonHTMLAttributes } from "react";

const tones = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-700 disabled:bg-indigo-300",
  secondary: "border border-slate-300 bg-white text-slate-900 hover:bg-slate-50 disabled:text-slate-400",
  danger: "bg-red-600 text-white hover:bg-red-700 disabled:bg-red-300",
  quiet: "text-slate-700 hover:bg-slate-100 disabled:text-slate-400",
} as const;

/** ButtonProps are a <button>'s, and: */
export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  tone?: keyof typeof tones;
  /** pending shows that the button's action is running, and disables it. */
  pending?: boolean;
};

/**
 * Button is a <button type="button"> unless told otherwise. Its text is its
 * accessible name: give an icon-only button an aria-label.
 */
export function Button({ tone = "primary", pending = false, disabled, className = "", type = "button", ...props }: ButtonProps) {
  return (
    <button
      type={type}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      className={
        "inline-flex items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-semibold " +
        "transition-colors disabled:cursor-not-allowed " +
        tones[tone] +
        " " +
        className
      }
      {...props}
    />
  );
}
