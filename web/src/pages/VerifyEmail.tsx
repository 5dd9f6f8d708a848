import { useMutation } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { api, data } from "../api/client";
import { errorMessage } from "../api/error";
import { Alert } from "../components/Alert";
import { AuthLayout } from "../components/AuthLayout";
import { Button } from "../components/Button";
import { ResendVerification } from "../components/ResendVerification";

/**
 * VerifyEmailPage is where the verification email's link lands
 * (/verify?token=…). It sends the token to POST /api/v1/verify when the
 * person clicks, not on load, so that a mail scanner that opens links does
 * not use the link up.
 */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const verify = useMutation({
    mutationFn: () => data(api.POST("/api/v1/verify", { body: { token } })),
  });

  if (token === "") {
    return (
      <AuthLayout title="Verify your email address">
        <Alert tone="error" title="This link is incomplete">
          Open the link from the email again, or copy all of it into the address bar.
        </Alert>
      </AuthLayout>
    );
  }

  if (verify.isSuccess) {
    return (
      <AuthLayout title="Your email address is verified">
        <div className="flex flex-col gap-4 text-sm text-slate-700">
          <Alert tone="success">Thank you: your account is ready.</Alert>
          <Link to="/login" className="font-medium text-indigo-700 underline">
            Log in
          </Link>
        </div>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Verify your email address">
      <div className="flex flex-col gap-4 text-sm text-slate-700">
        <p>Confirm that this email address is yours to finish creating your account.</p>
        {verify.isError && <Alert tone="error">{errorMessage(verify.error)}</Alert>}
        <Button pending={verify.isPending} onClick={() => verify.mutate()}>
          {verify.isPending ? "Verifying…" : "Verify my email address"}
        </Button>
        {verify.isError && (
          <section aria-labelledby="resend-heading" className="mt-2 flex flex-col gap-3 border-t border-slate-200 pt-4">
            <h2 id="resend-heading" className="font-semibold text-slate-900">
              Need a new link?
            </h2>
            <p>
              A link works once, for 24 hours. If your address is verified already,{" "}
              <Link to="/login" className="font-medium text-indigo-700 underline">
                log in
              </Link>
              .
            </p>
            <ResendVerification />
          </section>
        )}
      </div>
    </AuthLayout>
  );
}
