import { Link } from "react-router";
import { AuthLayout } from "../components/AuthLayout";

/** NotFoundPage answers an address the dashboard has no page for. */
export function NotFoundPage() {
  return (
    <AuthLayout title="Page not found">
      <div className="flex flex-col gap-4 text-sm text-slate-700">
        <p>There is no page at this address. The link may be mistyped, or the page may have moved.</p>
        <Link to="/" className="font-medium text-indigo-700 underline">
          Go to the dashboard
        </Link>
      </div>
    </AuthLayout>
  );
}
