import type { ReactNode } from "react";

const tones = {
  neutral: "bg-slate-100 text-slate-700 ring-slate-300",
  success: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  warning: "bg-amber-50 text-amber-900 ring-amber-300",
  danger: "bg-red-50 text-red-800 ring-red-300",
  info: "bg-indigo-50 text-indigo-800 ring-indigo-300",
} as const;

/** Badge is a short word about a thing (its status, its role) in a
 * coloured pill. The word itself says it all: colour is never the only
 * sign. */
export function Badge({ tone = "neutral", children }: { tone?: keyof typeof tones; children: ReactNode }) {
  return (
    <span
      className={
        "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset " +
        tones[tone]
      }
    >
      {children}
    </span>
  );
}
