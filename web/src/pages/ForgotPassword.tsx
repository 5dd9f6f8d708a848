import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { api, data } from "../api/client";
import { errorMessage } from "../api/error";
import { Alert } from "../components/Alert";
import { AuthLayout } from "../components/AuthLayout";
import { Button } from "../components/Button";
import { TextField } from "../components/TextField";
import { checkEmail } from "../lib/validate";

/**
 * ForgotPasswordPage asks for a password reset link
 * (POST /api/v1/auth/password-reset). The API answers the same whatever
 * the address, and so does this page: it tells nobody who has an account.
 */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string>();
  const request = useMutation({
    mutationFn: (address: string) => data(api.POST("/api/v1/auth/password-reset", { body: { email: address } })),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = checkEmail(email);
    setError(problem);
    if (!problem) {
      request.mutate(email.trim());
    }
  }

  const backToLogin = (
    <Link to="/login" className="font-medium text-indigo-700 underline">
      Back to login
    </Link>
  );

  if (request.isSuccess) {
    return (
      <AuthLayout title="Check your inbox" footer={backToLogin}>
        <Alert tone="success">{request.data.message}</Alert>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Reset your password" footer={backToLogin}>
      <form noValidate onSubmit={submit} className="flex flex-col gap-4">
        <p className="text-sm text-slate-700">
          Enter the email address you log in with, and we will send you a link to choose a new password.
        </p>
        {request.isError && <Alert tone="error">{errorMessage(request.error)}</Alert>}
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          error={error}
          onChange={(event) => {
            setEmail(event.target.value);
            setError(undefined);
          }}
        />
        <Button type="submit" pending={request.isPending}>
          {request.isPending ? "Sending…" : "Send reset link"}
        </Button>
      </form>
    </AuthLayout>
  );
}
