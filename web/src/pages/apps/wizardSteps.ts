import type { DraftField } from "../../components/apps/appChecks";
import { authFields, type ProblemField } from "../../components/apps/appProblems";

/** WizardStep is one step of the new app wizard: its title, and the
 * fields it asks for (and so the problems it shows). */
export type WizardStep = { id: string; title: string; fields: readonly ProblemField[] };

/** wizardSteps are the new app wizard's steps, in order. */
export const wizardSteps: readonly WizardStep[] = [
  { id: "name", title: "Name", fields: ["name", "slug"] },
  { id: "routes", title: "Routes", fields: ["hostnames", "pathPrefixes"] },
  { id: "upstreams", title: "Upstreams", fields: ["upstreams", "connectMs", "readMs", "writeMs"] },
  {
    id: "auth",
    title: "Authentication",
    fields: [...authFields, "authorizeUrl"],
  },
  { id: "review", title: "Review", fields: [] },
];

/** stepOf returns the index of the step that asks for field, or -1. */
export function stepOf(field: ProblemField | undefined): number {
  return field ? wizardSteps.findIndex((step) => step.fields.includes(field)) : -1;
}

/** draftFieldsOf returns the draft fields a step checks. */
export function draftFieldsOf(step: WizardStep): DraftField[] {
  return step.fields.filter((field): field is DraftField => field !== "claims");
}
