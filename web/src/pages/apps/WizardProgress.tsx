import { wizardSteps } from "./wizardSteps";

/**
 * WizardProgress lists the wizard's steps: the current one is marked
 * (aria-current="step"), those reached already can be gone back to, and a
 * step with a problem says so.
 */
export function WizardProgress({
  current,
  reached,
  withProblems,
  onGo,
}: {
  current: number;
  reached: number;
  withProblems: ReadonlySet<number>;
  onGo: (step: number) => void;
}) {
  return (
    <nav aria-label="Steps" className="relative mb-6 overflow-x-auto">
      <ol className="flex min-w-max gap-2 text-sm">
        {wizardSteps.map((step, index) => {
          const isCurrent = index === current;
          const problem = withProblems.has(index);
          const label = (
            <>
              <span
                aria-hidden="true"
                className={
                  "flex size-6 items-center justify-center rounded-full text-xs font-semibold " +
                  (problem
                    ? "bg-red-600 text-white"
                    : isCurrent
                      ? "bg-indigo-600 text-white"
                      : index < reached
                        ? "bg-indigo-100 text-indigo-800"
                        : "bg-slate-200 text-slate-700")
                }
              >
                {problem ? "!" : index + 1}
              </span>
              <span>
                <span className="sr-only">Step {index + 1}:</span> {step.title}
                {problem && (
                  <>
                    {" "}
                    <span className="sr-only">(needs a change)</span>
                  </>
                )}
              </span>
            </>
          );
          const className =
            "flex items-center gap-2 rounded-md px-2 py-1.5 " +
            (isCurrent ? "font-semibold text-slate-900" : "text-slate-600");
          return (
            <li key={step.id} className="flex items-center gap-2">
              {index > 0 && (
                <span aria-hidden="true" className="text-slate-300">
                  ›
                </span>
              )}
              {index <= reached && !isCurrent ? (
                <button type="button" className={className + " hover:bg-slate-100"} onClick={() => onGo(index)}>
                  {label}
                </button>
              ) : (
                <span aria-current={isCurrent ? "step" : undefined} className={className}>
                  {label}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
