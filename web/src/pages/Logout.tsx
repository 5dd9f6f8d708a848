import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { Link, useNavigate } from "react-router";
import { api, data } from "../api/client";
import { isUnauthorized } from "../api/error";
import { AuthLayout } from "../components/AuthLayout";
import { ErrorState } from "../components/ErrorState";
import { LoadingState } from "../components/LoadingState";

/**
 * LogoutPage ends the session (POST /api/v1/auth/logout, which clears the
 * cookies), forgets everything cached, and goes to the login page. A
 * session that had ended already counts as logged out; any other failure
 * is shown, since the session may still be open.
 */
export function LogoutPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const logout = useMutation({
    mutationFn: () => data(api.POST("/api/v1/auth/logout")),
    onSettled(_result, err) {
      if (err && !isUnauthorized(err)) {
        return;
      }
      queryClient.clear();
      void navigate("/login", { replace: true });
    },
  });

  const { mutate } = logout;
  const started = useRef(false);
  useEffect(() => {
    if (!started.current) {
      started.current = true; // once, also when effects run twice in development
      mutate();
    }
  }, [mutate]);

  return (
    <AuthLayout title="Log out">
      {logout.isError && !isUnauthorized(logout.error) ? (
        <div className="flex flex-col gap-4 text-sm">
          <ErrorState title="Could not log out" error={logout.error} onRetry={() => logout.mutate()} />
          <Link to="/" className="font-medium text-indigo-700 underline">
            Back to the dashboard
          </Link>
        </div>
      ) : (
        <LoadingState label="Logging out…" />
      )}
    </AuthLayout>
  );
}
