import { type UseMutationOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { useToast } from "../components/Toast";
import { errorMessage } from "./error";
import { alwaysChanged, type QueryKey } from "./queryKeys";

/** ApiMutationOptions are TanStack Query's mutation options, and: */
export type ApiMutationOptions<TData, TVariables> = UseMutationOptions<TData, Error, TVariables> & {
  /** invalidates lists the queries the command changes (besides the
   * audit log and the summary, which every command changes). */
  invalidates?: readonly QueryKey[];
  /** successToast, when set, is shown in a toast after success. */
  successToast?: string | ((data: TData) => string);
  /** errorToast shows the API's message in a toast on failure; leave it
   * off for a form that shows the error beside its fields. */
  errorToast?: boolean;
};

/**
 * useApiMutation runs a command of the admin API. After it succeeds, the
 * queries it changed are refetched: the client sends the command's
 * revision with them, so they show the change at once.
 */
export function useApiMutation<TData, TVariables = void>({
  invalidates = [],
  successToast,
  errorToast = false,
  onSuccess,
  onError,
  ...options
}: ApiMutationOptions<TData, TVariables>) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation<TData, Error, TVariables>({
    ...options,
    async onSuccess(result, variables, onMutateResult, context) {
      await Promise.all(
        [...invalidates, ...alwaysChanged].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
      );
      if (successToast) {
        toast.show({
          tone: "success",
          title: typeof successToast === "function" ? successToast(result) : successToast,
        });
      }
      await onSuccess?.(result, variables, onMutateResult, context);
    },
    async onError(err, variables, onMutateResult, context) {
      if (errorToast) {
        toast.show({ tone: "error", title: "That did not work", description: errorMessage(err) });
      }
      await onError?.(err, variables, onMutateResult, context);
    },
  });
}
