import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import { ApiError } from "../../api/error";
import { useApiMutation } from "../../api/mutation";
import { queryKeys } from "../../api/queryKeys";
import { checkDraft, type DraftErrors, fieldOf, hasProblems } from "../../components/apps/appChecks";
import { type AppDraft, bodyFromDraft, draftFromApp } from "../../components/apps/appDraft";
import { problemErrors, problemsOf } from "../../components/apps/appProblems";
import type { App } from "../../components/apps/appQueries";

/** Edit is a change being made to an app: the draft, and the app's
 * revision it started from, sent as If-Match. */
type Edit = { revision: number; draft: AppDraft };

/**
 * useAppEditor holds the changes made to an app across the app page's
 * tabs, and saves them all at once (PUT /api/v1/apps/{id}) with the
 * revision they started from as If-Match, so that a change made meanwhile
 * is refused (409) rather than overwritten.
 */
export function useAppEditor(app: App) {
  const queryClient = useQueryClient();
  const [edit, setEdit] = useState<Edit | null>(null);
  const [errors, setErrors] = useState<DraftErrors>({});
  const draft = edit?.draft ?? draftFromApp(app);

  const save = useApiMutation({
    mutationFn: ({ draft, revision }: Edit) =>
      data(
        api.PUT("/api/v1/apps/{id}", {
          params: { path: { id: app.app_id }, header: { "If-Match": revision } },
          body: bodyFromDraft(draft),
        }),
      ),
    invalidates: [queryKeys.apps],
    successToast: "Changes saved",
    onSuccess() {
      setEdit(null);
      setErrors({});
    },
    onError(err) {
      setErrors(problemErrors(problemsOf(err)));
      if (err instanceof ApiError && err.code === "conflict") {
        // The app may have changed: fetch it, so the page can say so.
        void queryClient.invalidateQueries({ queryKey: queryKeys.app(app.app_id), exact: true });
      }
    },
  });

  /** change applies a change to the draft, and clears the errors of the
   * fields it touches. */
  function change(patch: Partial<AppDraft>) {
    setEdit((current) => ({
      revision: current?.revision ?? app.revision,
      draft: { ...(current?.draft ?? draftFromApp(app)), ...patch },
    }));
    const touched = new Set<string>(Object.keys(patch));
    if (touched.has("tenantClaim") || touched.has("userClaim") || touched.has("rolesClaim")) {
      touched.add("claims");
    }
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => !touched.has(fieldOf(key)))));
  }

  /** discard drops the changes. */
  function discard() {
    setEdit(null);
    setErrors({});
    save.reset();
  }

  /** submit checks the draft and saves it; it returns the problems found
   * before sending, if any. */
  function submit(): DraftErrors | undefined {
    if (!edit) {
      return undefined;
    }
    const found = checkDraft(edit.draft, undefined, app.has_hs256_secret);
    if (hasProblems(found)) {
      setErrors(found);
      return found;
    }
    save.mutate(edit);
    return undefined;
  }

  return {
    draft,
    errors,
    /** dirty tells whether there are changes to save. */
    dirty: edit !== null,
    /** stale tells whether the app changed since the changes began. */
    stale: edit !== null && edit.revision !== app.revision,
    change,
    discard,
    submit,
    save,
  };
}

/** AppEditor is what useAppEditor returns. */
export type AppEditor = ReturnType<typeof useAppEditor>;
