import { NavLink } from "react-router";

/** The dashboard's sections, in the order the navigation lists them. */
const sections = [
  { to: "/", label: "Overview", end: true },
  { to: "/apps", label: "Apps" },
  { to: "/keys", label: "API keys" },
  { to: "/members", label: "Members" },
  { to: "/audit", label: "Audit log" },
] as const;

const settings = [
  { to: "/settings/notifications", label: "Notifications" },
  { to: "/settings/tokens", label: "Access tokens" },
] as const;

/**
 * SideNav lists the dashboard's sections; the current one is marked for
 * screen readers with aria-current. onNavigate runs when a link is
 * followed (the mobile menu closes itself with it).
 */
export function SideNav({ onNavigate }: { onNavigate?: () => void }) {
  return (
    <nav aria-label="Main" className="flex flex-col gap-6 text-sm">
      <ul className="flex flex-col gap-1">
        {sections.map((item) => (
          <li key={item.to}>
            <NavItem {...item} onNavigate={onNavigate} />
          </li>
        ))}
      </ul>
      <div>
        <p className="px-3 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Settings</p>
        <ul className="flex flex-col gap-1">
          {settings.map((item) => (
            <li key={item.to}>
              <NavItem {...item} onNavigate={onNavigate} />
            </li>
          ))}
        </ul>
      </div>
    </nav>
  );
}

function NavItem({ to, label, end, onNavigate }: { to: string; label: string; end?: boolean; onNavigate?: () => void }) {
  return (
    <NavLink
      to={to}
      end={end}
      onClick={onNavigate}
      className={({ isActive }) =>
        "block rounded-md px-3 py-2 font-medium " +
        (isActive ? "bg-indigo-50 text-indigo-700" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900")
      }
    >
      {label}
    </NavLink>
  );
}
