import { Link } from "react-router";
import { atLeast } from "../../lib/roles";
import { useProfile } from "../RequireAuth";

/**
 * FirstSteps shows a new account the way in: create an app, issue it an
 * API key, invite the team, and get a token for the CLI. Steps the
 * member's role cannot take say who can.
 */
export function FirstSteps() {
  const me = useProfile();
  const developer = atLeast(me.role, "developer");
  const admin = atLeast(me.role, "admin");
  return (
    <section aria-labelledby="first-steps" className="rounded-lg border border-indigo-200 bg-indigo-50/60 p-5">
      <h2 id="first-steps" className="text-base font-semibold text-slate-900">
        First steps
      </h2>
      <p className="mt-1 text-sm text-slate-700">There are no apps yet. Put your first API behind the gateway:</p>
      <ol className="mt-4 flex list-decimal flex-col gap-3 pl-5 text-sm text-slate-800">
        <li>
          {developer ? (
            <Link to="/apps/new" className="font-medium text-indigo-700 underline">
              Create an app
            </Link>
          ) : (
            <span className="font-medium">Create an app</span>
          )}
          : the hostnames callers use, and the upstream servers requests go to.
          {!developer && " Developers, admins and owners can."}
        </li>
        <li>
          {developer ? (
            <Link to="/keys" className="font-medium text-indigo-700 underline">
              Issue an API key
            </Link>
          ) : (
            <span className="font-medium">Issue an API key</span>
          )}{" "}
          for each environment, and give it to the app's callers.
        </li>
        <li>
          {admin ? (
            <Link to="/members" className="font-medium text-indigo-700 underline">
              Invite your team
            </Link>
          ) : (
            <span className="font-medium">Invite your team</span>
          )}
          , each with the role they need.{!admin && " Admins and owners can."}
        </li>
        <li>
          <Link to="/settings/tokens" className="font-medium text-indigo-700 underline">
            Create an access token
          </Link>{" "}
          for the aegis CLI and your scripts.
        </li>
      </ol>
    </section>
  );
}
