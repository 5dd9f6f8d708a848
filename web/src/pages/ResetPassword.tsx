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
 * ResetPasswordPage is where a password reset email's link lands
 * (/reset-password?token=…): the member chooses a new password
 * (POST /api/v1/auth/password-reset/confirm), which ends their dashboard
 * sessions, and then logs in with it.
 */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const reset = useMutation({
    mutationFn: (chosen: string) =>
      data(api.POST("/api/v1/auth/password-reset/confirm", { body: { token, password: chosen } })),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = checkNewPassword(password);
    setError(problem);
    if (!problem) {
      reset.mutate(password);
    }
  }

  if (token === "") {
    return (
      <AuthLayout title="Choose a new password">
        <div className="flex flex-col gap-4 text-sm">
          <Alert tone="error" title="This link is incomplete">
            Open the link from the email again, or copy all of it into the address bar.
          </Alert>
          <Link to="/forgot-password" className="font-medium text-indigo-700 underline">
            Ask for a new link
          </Link>
        </div>
      </AuthLayout>
    );
  }

  if (reset.isSuccess) {
    return (
      <AuthLayout title="Your password is changed">
        <div className="flex flex-col gap-4 text-sm text-slate-700">
          <Alert tone="success">Log in with your new password. Any other dashboard session of yours has ended.</Alert>
          <Link to="/login" className="font-medium text-indigo-700 underline">
            Log in
          </Link>
        </div>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Choose a new password"
      footer={
        <>
          Link expired or used?{" "}
          <Link to="/forgot-password" className="font-medium text-indigo-700 underline">
            Ask for a new one
          </Link>
        </>
      }
    >
      <form noValidate onSubmit={submit} className="flex flex-col gap-4">
        {reset.isError && <Alert tone="error">{errorMessage(reset.error)}</Alert>}
        <PasswordField
          label="New password"
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
        <Button type="submit" pending={reset.isPending}>
          {reset.isPending ? "Saving…" : "Set new password"}
        </Button>
      </form>
    </AuthLayout>
  );
}
