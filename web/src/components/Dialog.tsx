import { AlertDialog, Dialog } from "radix-ui";
import type { ReactNode } from "react";
import { errorMessage } from "../api/error";
import { Alert } from "./Alert";
import { Button } from "./Button";

const overlayClass = "fixed inset-0 z-40 bg-slate-900/40";
const contentClass =
  "fixed top-1/2 left-1/2 z-50 flex max-h-[calc(100dvh-2rem)] w-[calc(100vw-2rem)] max-w-lg " +
  "-translate-x-1/2 -translate-y-1/2 flex-col gap-4 overflow-y-auto rounded-xl bg-white p-6 shadow-xl";

/**
 * Modal is a dialog over the page: its title names it to screen readers,
 * focus stays inside while it is open and goes back to what opened it when
 * it closes. It closes with Escape, a click outside or its close button,
 * unless dismissible is false (while it shows something that must not be
 * lost by accident, such as a secret shown once).
 */
export function Modal({
  open,
  onOpenChange,
  title,
  description,
  dismissible = true,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  dismissible?: boolean;
  children: ReactNode;
}) {
  const keep = (event: Event) => {
    if (!dismissible) {
      event.preventDefault();
    }
  };
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className={overlayClass} />
        <Dialog.Content
          className={contentClass}
          onEscapeKeyDown={keep}
          onInteractOutside={keep}
          {...(description ? {} : { "aria-describedby": undefined })}
        >
          <div className="flex items-start justify-between gap-4">
            <Dialog.Title className="text-lg font-semibold text-slate-900">{title}</Dialog.Title>
            {dismissible && (
              <Dialog.Close
                aria-label="Close"
                className="-mt-1 rounded-md px-2 py-1 text-xl leading-none text-slate-600 hover:bg-slate-100"
              >
                <span aria-hidden="true">×</span>
              </Dialog.Close>
            )}
          </div>
          {description && <Dialog.Description className="text-sm text-slate-600">{description}</Dialog.Description>}
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/**
 * ConfirmDialog asks before something that cannot be undone (role
 * alertdialog). It stays open while onConfirm's command runs, and shows
 * the API's message if the command fails; the caller closes it on
 * success.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  pendingLabel,
  pending = false,
  error,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  pending?: boolean;
  error?: unknown;
  onConfirm: () => void;
}) {
  return (
    <AlertDialog.Root open={open} onOpenChange={onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className={overlayClass} />
        <AlertDialog.Content className={contentClass}>
          <AlertDialog.Title className="text-lg font-semibold text-slate-900">{title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className="text-sm text-slate-700">{description}</div>
          </AlertDialog.Description>
          {error !== undefined && error !== null && <Alert tone="error">{errorMessage(error)}</Alert>}
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <AlertDialog.Cancel asChild>
              <Button tone="secondary">Cancel</Button>
            </AlertDialog.Cancel>
            <Button tone="danger" pending={pending} onClick={onConfirm}>
              {pending ? (pendingLabel ?? confirmLabel) : confirmLabel}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
