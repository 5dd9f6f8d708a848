import { type FormEvent, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { api, data } from "../api/client";
import { errorMessage } from "../api/error";
import { useApiMutation } from "../api/mutation";
import { queryKeys } from "../api/queryKeys";
import { checkDraft, type DraftErrors, fieldOf, hasProblems } from "../components/apps/appChecks";
import { type AppDraft, bodyFromDraft, emptyDraft } from "../components/apps/appDraft";
import { problemErrors, problemsOf, type Problem } from "../components/apps/appProblems";
import type { AppBody } from "../components/apps/appQueries";
import { AuthFields, AuthorizeField } from "../components/apps/AuthFields";
import { NameFields } from "../components/apps/NameFields";
import { RouteFields } from "../components/apps/RouteFields";
import { UpstreamFields } from "../components/apps/UpstreamFields";
import { Alert } from "../components/Alert";
import { Button } from "../components/Button";
import { PageHeader } from "../components/PageHeader";
import { AppReview } from "./apps/AppReview";
import { WizardProgress } from "./apps/WizardProgress";
import { draftFieldsOf, stepOf, wizardSteps } from "./apps/wizardSteps";

const review = wizardSteps.length - 1;

/**
 * AppNewPage creates an app (POST /api/v1/apps) in steps: its name and
 * slug, its hostnames and path prefixes, its upstreams, how its callers
 * authenticate, and a review. Each step checks its fields before the next;
 * the API's refusal is shown with the steps and fields it names, and
 * everything typed stays. A created app's page opens.
 */
export function AppNewPage() {
  const navigate = useNavigate();
  const [draft, setDraft] = useState<AppDraft>(emptyDraft);
  const [step, setStep] = useState(0);
  const [reached, setReached] = useState(0);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [problems, setProblems] = useState<Problem[]>([]);
  const [slugLinked, setSlugLinked] = useState(true);
  const heading = useRef<HTMLHeadingElement>(null);
  const current = wizardSteps[step] ?? wizardSteps[0]!;

  const create = useApiMutation({
    mutationFn: (body: AppBody) => data(api.POST("/api/v1/apps", { body })),
    invalidates: [queryKeys.apps],
    successToast: "App created",
    onSuccess: (result) => navigate(`/apps/${result.app_id}`),
    onError(err) {
      const found = problemsOf(err);
      setProblems(found);
      setErrors((current) => ({ ...current, ...problemErrors(found) }));
    },
  });

  /** change applies a change to the draft, and clears the errors of the
   * fields it touches. */
  function change(patch: Partial<AppDraft>) {
    setDraft((current) => ({ ...current, ...patch }));
    const touched = new Set(Object.keys(patch));
    if (touched.has("tenantClaim") || touched.has("userClaim") || touched.has("rolesClaim")) {
      touched.add("claims");
    }
    setErrors((current) =>
      Object.fromEntries(Object.entries(current).filter(([key]) => !touched.has(fieldOf(key)) && !touched.has(key))),
    );
  }

  function go(next: number) {
    setStep(next);
    setReached((current) => Math.max(current, next));
    // The new step's heading takes focus, so that a screen reader reads it.
    requestAnimationFrame(() => heading.current?.focus());
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (step < review) {
      const found = checkDraft(draft, draftFieldsOf(current));
      setErrors((previous) => ({ ...previous, ...found }));
      if (!hasProblems(found)) {
        go(step + 1);
      }
      return;
    }
    // Every step again: a later change may have broken an earlier one.
    const found = checkDraft(draft);
    if (hasProblems(found)) {
      setErrors(found);
      const first = Object.entries(found).find(([, message]) => message);
      go(Math.max(0, stepOf(first && fieldOf(first[0]))));
      return;
    }
    setProblems([]);
    create.mutate(bodyFromDraft(draft));
  }

  const withProblems = new Set(
    Object.entries(errors)
      .filter(([, message]) => message)
      .map(([key]) => stepOf(fieldOf(key)))
      .filter((index) => index >= 0),
  );
  const props = { draft, onChange: change, errors };

  return (
    <>
      <PageHeader
        title="New app"
        description="Put one of your APIs behind the gateway: where it is reached, where requests go, and how callers authenticate."
      />
      <div className="max-w-3xl">
        <WizardProgress current={step} reached={reached} withProblems={withProblems} onGo={go} />
        <form noValidate onSubmit={submit} className="flex flex-col gap-6">
          <h2 ref={heading} tabIndex={-1} className="text-lg font-semibold text-slate-900 outline-none">
            {current.title}
          </h2>
          {step === 0 && <NameFields {...props} linkSlug={slugLinked} onSlugEdited={() => setSlugLinked(false)} />}
          {step === 1 && <RouteFields {...props} />}
          {step === 2 && <UpstreamFields {...props} />}
          {step === 3 && (
            <>
              <AuthFields {...props} />
              <AuthorizeField {...props} />
            </>
          )}
          {step === review && (
            <>
              {create.isError && <CreateError error={create.error} problems={problems} onGo={go} />}
              <AppReview draft={draft} onEdit={go} />
            </>
          )}
          <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4">
            {step > 0 && (
              <Button tone="secondary" onClick={() => go(step - 1)}>
                Back
              </Button>
            )}
            {step < review ? (
              <Button type="submit">Next</Button>
            ) : (
              <Button type="submit" pending={create.isPending}>
                {create.isPending ? "Creating app…" : "Create app"}
              </Button>
            )}
          </div>
        </form>
      </div>
    </>
  );
}

/** CreateError shows why the app was not created: the API's message,
 * one problem a line, each that names a field with a way back to its
 * step. */
function CreateError({ error, problems, onGo }: { error: Error; problems: Problem[]; onGo: (step: number) => void }) {
  if (problems.length === 0) {
    return <Alert tone="error" title="The app was not created">{errorMessage(error)}</Alert>;
  }
  return (
    <Alert tone="error" title="The app was not created">
      <ul className="flex flex-col gap-1">
        {problems.map((problem) => {
          const index = stepOf(problem.field);
          const title = wizardSteps[index]?.title;
          return (
            <li key={problem.text}>
              {problem.text}
              {title && (
                <>
                  {" "}
                  <button type="button" className="font-semibold whitespace-nowrap underline" onClick={() => onGo(index)}>
                    Change in {title}
                  </button>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </Alert>
  );
}
