import type { ReactNode } from "react";

/** EmptyState says that a list has nothing yet, and what to do about it. */
export function EmptyState({ title, description, action }: { title: string; description?: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
      <p className="text-base font-semibold text-slate-900">{title}</p>
      {description && <div className="mt-1 text-sm text-slate-600">{description}</div>}
      {action && <div className="mt-4">{action}</div>}
    </div>
  );
}
