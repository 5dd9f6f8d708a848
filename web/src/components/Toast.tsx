import { Toast as RadixToast } from "radix-ui";
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";

/** ToastMessage is what a toast says. */
export type ToastMessage = {
  tone: "success" | "error";
  title: string;
  description?: string;
};

type Toaster = { show: (message: ToastMessage) => void };

const ToastContext = createContext<Toaster | null>(null);

/**
 * ToastProvider shows the toasts that useToast asks for, in a corner of
 * the screen, announced to screen readers: a success politely, a failure
 * at once. Each closes by itself, or with its close button or Escape.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<(ToastMessage & { id: number })[]>([]);
  const show = useCallback((message: ToastMessage) => {
    setToasts((current) => [...current, { ...message, id: nextId++ }]);
  }, []);
  const remove = (id: number) => setToasts((current) => current.filter((toast) => toast.id !== id));
  const toaster = useMemo(() => ({ show }), [show]);

  return (
    <ToastContext value={toaster}>
      <RadixToast.Provider swipeDirection="right" duration={4000}>
        {children}
        {toasts.map((toast) => (
          <RadixToast.Root
            key={toast.id}
            type={toast.tone === "error" ? "foreground" : "background"}
            onOpenChange={(open) => !open && remove(toast.id)}
            className={
              "flex items-start gap-3 rounded-lg border bg-white p-4 shadow-lg " +
              (toast.tone === "error" ? "border-red-300" : "border-emerald-300")
            }
          >
            <span
              aria-hidden="true"
              className={
                "mt-1.5 size-2 shrink-0 rounded-full " + (toast.tone === "error" ? "bg-red-600" : "bg-emerald-600")
              }
            />
            <div className="min-w-0 flex-1">
              <RadixToast.Title className="text-sm font-semibold text-slate-900">{toast.title}</RadixToast.Title>
              {toast.description && (
                <RadixToast.Description className="mt-1 text-sm text-slate-700">
                  {toast.description}
                </RadixToast.Description>
              )}
            </div>
            <RadixToast.Close
              aria-label="Close notification"
              className="rounded px-1 text-lg leading-none text-slate-500 hover:text-slate-900"
            >
              <span aria-hidden="true">×</span>
            </RadixToast.Close>
          </RadixToast.Root>
        ))}
        <RadixToast.Viewport
          label="Notifications ({hotkey})"
          className="fixed right-0 bottom-0 z-50 flex w-full max-w-sm flex-col gap-2 p-4 outline-none"
        />
      </RadixToast.Provider>
    </ToastContext>
  );
}

let nextId = 1;

/** useToast returns the function that shows a toast. It throws outside a
 * ToastProvider. */
export function useToast(): Toaster {
  const toaster = useContext(ToastContext);
  if (!toaster) {
    throw new Error("useToast needs a ToastProvider");
  }
  return toaster;
}
