import { createContext, type ReactNode, useContext } from "react";
import { Navigate, useLocation } from "react-router";
import { isUnauthorized } from "../api/error";
import { type Profile, useMe } from "../api/queries";
import { loginPath } from "../lib/next";
import { ErrorState } from "./ErrorState";
import { LoadingState } from "./LoadingState";

const ProfileContext = createContext<Profile | null>(null);

/**
 * RequireAuth shows its children to a signed-in member only. It asks the
 * admin API who is signed in (GET /api/v1/me); a visitor who is not is
 * sent to the login page, which brings them back here afterwards.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (isUnauthorized(me.error)) {
    return <Navigate to={loginPath(location.pathname + location.search + location.hash)} replace />;
  }
  if (me.data) {
    // A failed refetch (other than a 401) keeps what was known.
    return <ProfileContext value={me.data}>{children}</ProfileContext>;
  }
  if (me.isError) {
    return (
      <div className="mx-auto max-w-md p-8">
        <ErrorState title="Could not check your session" error={me.error} onRetry={() => void me.refetch()} />
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md p-8">
      <LoadingState label="Checking your session…" />
    </div>
  );
}

/** useProfile returns the signed-in member and their customer. It throws
 * outside RequireAuth. */
export function useProfile(): Profile {
  const profile = useContext(ProfileContext);
  if (!profile) {
    throw new Error("useProfile needs RequireAuth");
  }
  return profile;
}
