import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { api, data } from "../api/client";
import { errorMessage } from "../api/error";
import { Alert } from "../components/Alert";
import { AuthLayout } from "../components/AuthLayout";
import { Button } from "../components/Button";
import { PasswordField } from "../components/PasswordField";
import { TextField } from "../components/TextField";
import { safeNext } from "../lib/next";
import { checkEmail, checkRequired, type FieldErrors, hasErrors } from "../lib/validate";

type Field = "email" | "password";

/**
 * LoginPage signs a member in (POST /api/v1/auth/login), which sets the
 * session cookies, and goes back to where they were going (?next=).
 */
export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors<Field>>({});

  /** edit returns a field's change handler, which also clears its error. */
  const edit = (field: Field, set: (value: string) => void) => (event: ChangeEvent<HTMLInputElement>) => {
    set(event.target.value);
    setErrors((current) => ({ ...current, [field]: undefined }));
  };

  const login = useMutation({
    mutationFn: (body: { email: string; password: string }) => data(api.POST("/api/v1/auth/login", { body })),
    onSuccess() {
      // Whatever was cached belonged to the visitor before they signed in.
      queryClient.clear();
      void navigate(next, { replace: true });
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: FieldErrors<Field> = {
      email: checkEmail(email),
      password: checkRequired(password, "Enter your password."),
    };
    setErrors(found);
    if (!hasErrors(found)) {
      login.mutate({ email: email.trim(), password });
    }
  }

  return (
    <AuthLayout
      title="Log in to Aegis"
      footer={
        <>
          New to Aegis?{" "}
          <Link to="/register" className="font-medium text-indigo-700 underline">
            Create an account
          </Link>
        </>
      }
    >
      <form noValidate onSubmit={submit} className="flex flex-col gap-4">
        {login.isError && <Alert tone="error">{errorMessage(login.error)}</Alert>}
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          error={errors.email}
          onChange={edit("email", setEmail)}
        />
        <PasswordField
          label="Password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          error={errors.password}
          onChange={edit("password", setPassword)}
        />
        <Button type="submit" pending={login.isPending}>
          {login.isPending ? "Logging in…" : "Log in"}
        </Button>
        <Link to="/forgot-password" className="text-center text-sm font-medium text-indigo-700 underline">
          Forgot your password?
        </Link>
      </form>
    </AuthLayout>
  );
}
