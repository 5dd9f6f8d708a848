import { isRouteErrorResponse, Link, useRouteError } from "react-router";
import { errorMessage } from "../api/error";
import { NotFoundPage } from "../pages/NotFound";
import { Alert } from "./Alert";
import { Button } from "./Button";

/**
 * RouteError is the router's error boundary: what shows in place of a page
 * that failed to render, with the error's message and a way out.
 */
export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return <NotFoundPage />;
  }
  return (
    <div className="mx-auto flex max-w-lg flex-col gap-4 p-8">
      <title>Something went wrong · Aegis</title>
      <h1 className="text-xl font-semibold text-slate-900">Something went wrong</h1>
      <Alert tone="error">{errorMessage(error)}</Alert>
      <div className="flex flex-wrap items-center gap-3">
        <Button tone="secondary" onClick={() => window.location.reload()}>
          Reload the page
        </Button>
        <Link to="/" className="text-sm font-medium text-indigo-700 underline">
          Go to the dashboard
        </Link>
      </div>
    </div>
  );
}
