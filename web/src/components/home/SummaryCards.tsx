import type { ReactNode } from "react";
import { Link } from "react-router";
import type { components } from "../../api/schema";

type Dashboard = components["schemas"]["Dashboard"];

/** The environments, in the order the page lists their keys. */
const environments = ["production", "staging", "development"] as const;

/**
 * SummaryCards are the account's figures from GET /api/v1/dashboard: apps,
 * active API keys per environment and members, each a link to its page.
 */
export function SummaryCards({ summary }: { summary: Dashboard }) {
  const keys = summary.keys ?? {};
  const others = Object.keys(keys).filter((name) => !(environments as readonly string[]).includes(name));
  const perEnvironment = [...environments, ...others].map((name) => ({ name, count: keys[name] ?? 0 }));
  const totalKeys = perEnvironment.reduce((sum, one) => sum + one.count, 0);
  return (
    <ul aria-label="Summary" className="grid gap-4 sm:grid-cols-3">
      <Card to="/apps" title="Apps" figure={summary.apps.total}>
        {summary.apps.active} active
      </Card>
      <Card to="/keys" title="Active API keys" figure={totalKeys}>
        <span className="flex flex-wrap gap-x-3">
          {perEnvironment.map((one) => (
            <span key={one.name}>
              {capitalize(one.name)} {one.count}
            </span>
          ))}
        </span>
      </Card>
      <Card to="/members" title="Members" figure={summary.members}>
        Pending invitations included
      </Card>
    </ul>
  );
}

function Card({ to, title, figure, children }: { to: string; title: string; figure: number; children: ReactNode }) {
  return (
    <li>
      <Link
        to={to}
        className="block h-full rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-indigo-300 hover:bg-indigo-50/40"
      >
        <span className="block text-sm font-medium text-slate-600">{title}</span>
        <span className="mt-1 block text-3xl font-semibold text-slate-900 tabular-nums">{figure}</span>
        <span className="mt-1 block text-sm text-slate-600">{children}</span>
      </Link>
    </li>
  );
}

function capitalize(word: string): string {
  return word.slice(0, 1).toUpperCase() + word.slice(1);
}
