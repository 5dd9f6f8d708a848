import type { ReactNode } from "react";
import { Link } from "react-router";
import { Logo } from "./Logo";

/**
 * AuthLayout frames the pages of a visitor who is not signed in: login,
 * registration and the pages the emails' links open.
 */
export function AuthLayout({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col items-center px-4 py-10 sm:py-16">
      <title>{`${title} · Aegis`}</title>
      <Link to="/" className="mb-8 flex items-center gap-2 text-lg font-semibold text-slate-900">
        <Logo />
        Aegis
      </Link>
      <main id="main" className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="mb-6 text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {children}
      </main>
      {footer && <div className="mt-6 text-center text-sm text-slate-600">{footer}</div>}
    </div>
  );
}
