import { authFields, type ProblemField } from "../../components/apps/appProblems";

/** AppTab is one of the app page's tabs. */
export type AppTab = "settings" | "upstreams" | "jwt" | "keys";

/** appTabs are the app page's tabs, in order, with the fields each edits. */
export const appTabs: readonly { value: AppTab; label: string; fields: readonly ProblemField[] }[] = [
  { value: "settings", label: "Settings", fields: ["name", "slug", "hostnames", "pathPrefixes", "status", "authorizeUrl"] },
  { value: "upstreams", label: "Upstreams", fields: ["upstreams", "connectMs", "readMs", "writeMs"] },
  {
    value: "jwt",
    label: "JWT",
    fields: authFields,
  },
  { value: "keys", label: "Keys", fields: [] },
];

/** asTab returns text as a tab, or settings. */
export function asTab(text: string | null): AppTab {
  return appTabs.find((tab) => tab.value === text)?.value ?? "settings";
}

/** tabOf returns the tab that edits field, or undefined. */
export function tabOf(field: ProblemField): AppTab | undefined {
  return appTabs.find((tab) => tab.fields.includes(field))?.value;
}
