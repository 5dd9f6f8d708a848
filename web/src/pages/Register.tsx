import { useMutation } from "@tanstack/react-query";
import { type ChangeEvent, type FormEvent, useState } from "react";
import { Link } from "react-router";
import { api, data } from "../api/client";
import { errorMessage } from "../api/error";
import { Alert } from "../components/Alert";
import { AuthLayout } from "../components/AuthLayout";
import { Button } from "../components/Button";
import { PasswordField } from "../components/PasswordField";
import { PasswordRules } from "../components/PasswordRules";
import { ResendVerification } from "../components/ResendVerification";
import { TextField } from "../components/TextField";
import { checkEmail, checkNewPassword, checkRequired, type FieldErrors, hasErrors } from "../lib/validate";

type Field = "company" | "email" | "password";

/**
 * RegisterPage signs a company up (POST /api/v1/register): the customer,
 * and its owner, whose email must be verified before they can log in. It
 * then says to check the inbox, and can send the link again.
 */
export function RegisterPage() {
  const [company, setCompany] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors<Field>>({});

  /** edit returns a field's change handler, which also clears its error. */
  const edit = (field: Field, set: (value: string) => void) => (event: ChangeEvent<HTMLInputElement>) => {
    set(event.target.value);
    setErrors((current) => ({ ...current, [field]: undefined }));
  };

  const register = useMutation({
    mutationFn: (body: { company_name: string; email: string; password: string }) =>
      data(api.POST("/api/v1/register", { body })),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: FieldErrors<Field> = {
      company:
        checkRequired(company, "Enter your company's name.") ??
        (company.trim().length > 120 ? "Use at most 120 characters." : undefined),
      email: checkEmail(email),
      password: checkNewPassword(password),
    };
    setErrors(found);
    if (!hasErrors(found)) {
      register.mutate({ company_name: company.trim(), email: email.trim(), password });
    }
  }

  if (register.isSuccess) {
    return <CheckInbox email={register.variables.email} />;
  }

  return (
    <AuthLayout
      title="Create your Aegis account"
      footer={
        <>
          Have an account?{" "}
          <Link to="/login" className="font-medium text-indigo-700 underline">
            Log in
          </Link>
        </>
      }
    >
      <form noValidate onSubmit={submit} className="flex flex-col gap-4">
        {register.isError && <Alert tone="error">{errorMessage(register.error)}</Alert>}
        <TextField
          label="Company name"
          name="company_name"
          autoComplete="organization"
          required
          value={company}
          error={errors.company}
          hint="The account is your company's; you will be its owner and can invite your team."
          onChange={edit("company", setCompany)}
        />
        <TextField
          label="Work email"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          error={errors.email}
          hint="We send a link to it to confirm it is yours."
          onChange={edit("email", setEmail)}
        />
        <PasswordField
          label="Password"
          name="password"
          autoComplete="new-password"
          required
          value={password}
          error={errors.password}
          hint={<PasswordRules />}
          onChange={edit("password", setPassword)}
        />
        <Button type="submit" pending={register.isPending}>
          {register.isPending ? "Creating your account…" : "Create account"}
        </Button>
      </form>
    </AuthLayout>
  );
}

/** CheckInbox says where the verification link went, and sends another
 * on request. */
function CheckInbox({ email }: { email: string }) {
  return (
    <AuthLayout title="Check your inbox">
      <div className="flex flex-col gap-4 text-sm text-slate-700">
        <p>
          We sent a link to <strong className="font-semibold text-slate-900">{email}</strong>. Open it to confirm your
          email address, then log in. The link works once, for 24 hours.
        </p>
        <ResendVerification email={email} />
        <Link to="/login" className="font-medium text-indigo-700 underline">
          Go to login
        </Link>
      </div>
    </AuthLayout>
  );
}
