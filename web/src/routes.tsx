import type { RouteObject } from "react-router";
import { AppShell } from "./components/AppShell";
import { RequireAuth } from "./components/RequireAuth";
import { RouteError } from "./components/RouteError";
import { AcceptInvitePage } from "./pages/AcceptInvite";
import { AppDetailPage } from "./pages/AppDetail";
import { AppNewPage } from "./pages/AppNew";
import { AppsPage } from "./pages/Apps";
import { AuditPage } from "./pages/Audit";
import { ForgotPasswordPage } from "./pages/ForgotPassword";
import { HomePage } from "./pages/Home";
import { KeysPage } from "./pages/Keys";
import { LoginPage } from "./pages/Login";
import { LogoutPage } from "./pages/Logout";
import { MembersPage } from "./pages/Members";
import { NotFoundPage } from "./pages/NotFound";
import { NotificationSettingsPage } from "./pages/NotificationSettings";
import { RegisterPage } from "./pages/Register";
import { ResetPasswordPage } from "./pages/ResetPassword";
import { TokensPage } from "./pages/Tokens";
import { VerifyEmailPage } from "./pages/VerifyEmail";

/**
 * routes are the dashboard's pages. The signed-out ones stand alone; the
 * others are inside the shell, behind the sign-in guard. The admin API
 * serves index.html for every path without an extension outside /api, so
 * each of these addresses loads the dashboard.
 */
export const routes: RouteObject[] = [
  {
    errorElement: <RouteError />,
    children: [
      { path: "/login", element: <LoginPage /> },
      { path: "/logout", element: <LogoutPage /> },
      { path: "/register", element: <RegisterPage /> },
      { path: "/verify", element: <VerifyEmailPage /> },
      { path: "/accept-invite", element: <AcceptInvitePage /> },
      { path: "/forgot-password", element: <ForgotPasswordPage /> },
      { path: "/reset-password", element: <ResetPasswordPage /> },
      {
        element: (
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        ),
        children: [
          {
            errorElement: <RouteError />,
            children: [
              { index: true, element: <HomePage /> },
              { path: "/apps", element: <AppsPage /> },
              { path: "/apps/new", element: <AppNewPage /> },
              { path: "/apps/:id", element: <AppDetailPage /> },
              { path: "/keys", element: <KeysPage /> },
              { path: "/members", element: <MembersPage /> },
              { path: "/audit", element: <AuditPage /> },
              { path: "/settings/notifications", element: <NotificationSettingsPage /> },
              { path: "/settings/tokens", element: <TokensPage /> },
            ],
          },
        ],
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];
