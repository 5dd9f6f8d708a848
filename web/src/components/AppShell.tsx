import { Link, Outlet } from "react-router";
import { AccountMenu } from "./AccountMenu";
import { Logo } from "./Logo";
import { MobileNav } from "./MobileNav";
import { useProfile } from "./RequireAuth";
import { SideNav } from "./SideNav";

/**
 * AppShell frames every signed-in page: a top bar with the customer's name
 * and the account menu, the navigation (a sidebar on wide screens, a Menu
 * button on narrow ones), and the page itself.
 */
export function AppShell() {
  const profile = useProfile();
  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white">
        <div className="flex h-14 items-center gap-3 px-4">
          <MobileNav />
          <Link to="/" className="flex items-center gap-2 font-semibold text-slate-900">
            <Logo />
            <span>Aegis</span>
          </Link>
          <span aria-hidden="true" className="text-slate-300">
            /
          </span>
          <span className="min-w-0 truncate text-sm font-medium text-slate-700">{profile.company_name}</span>
          <div className="ml-auto">
            <AccountMenu />
          </div>
        </div>
      </header>
      <div className="flex">
        <aside className="sticky top-14 hidden h-[calc(100dvh-3.5rem)] w-60 shrink-0 overflow-y-auto border-r border-slate-200 bg-white p-4 md:block">
          <SideNav />
        </aside>
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 sm:px-8">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
