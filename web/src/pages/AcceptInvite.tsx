import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, data } from "../api/client";
import { errorMessage } from "../api/error";
import { Alert } from "../components/Alert";
import { AuthLayout } from "../components/AuthLayout";
import { Button } from "../components/Button";
import { PasswordField } from "../components/PasswordField";
import { PasswordRules } from "../components/PasswordRules";
import { checkNewPassword } from "../lib/validate";

/**
 * AcceptInvitePage is where an invitation email's link lands
 * (/accept-invite?token=…): the invited person chooses a password and
 * joins (POST /api/v1/invitations/accept). Following the link proves the
 * email is theirs, so they can log in at once.
 */
export function AcceptInvitePage() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const accept = useMutation({
    mutationFn: (chosen: string) => data(api.POST("/api/v1/invitations/accept", { body: { token, password: chosen } })),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = checkNewPassword(password);
    setError(problem);
    if (!problem) {
      accept.mutate(password);
    }
  }

  if (token === "") {
    return (
      <AuthLayout title="Join your team on Aegis">
        <Alert tone="error" title="This link is incomplete">
          Open the link from the invitation email again, or copy all of it into the address bar.
        </Alert>
      </AuthLayout>
    );
  }

  if (accept.isSuccess) {
    return (
      <AuthLayout title="Welcome to the team">
        <div className="flex flex-col gap-4 text-sm text-slate-700">
          <Alert tone="success">You have joined. Log in with your email address and the password you chose.</Alert>
          <Link to="/login" className="font-medium text-indigo-700 underline">
            Log in
          </Link>
        </div>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Join your team on Aegis">
      <form noValidate onSubmit={submit} className="flex flex-col gap-4">
        <p className="text-sm text-slate-700">You were invited to a team. Choose a password to join it.</p>
        {accept.isError && <Alert tone="error">{errorMessage(accept.error)}</Alert>}
        <PasswordField
          label="Password"
          name="password"
          autoComplete="new-password"
          required
          value={password}
          error={error}
          hint={<PasswordRules />}
          onChange={(event) => {
            setPassword(event.target.value);
            setError(undefined);
          }}
        />
        <Button type="submit" pending={accept.isPending}>
          {accept.isPending ? "Joining…" : "Join the team"}
        </Button>
      </form>
    </AuthLayout>
  );
}
