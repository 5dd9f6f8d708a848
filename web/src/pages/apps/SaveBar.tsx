import { errorMessage } from "../../api/error";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import type { AppEditor } from "./useAppEditor";

/**
 * SaveBar stays at the bottom of the app page while there are changes:
 * it saves or discards them, says when the app changed meanwhile, and
 * shows the API's refusal.
 */
export function SaveBar({ editor, onSave }: { editor: AppEditor; onSave: () => void }) {
  const { save } = editor;
  if (!editor.dirty) {
    return null;
  }
  return (
    <div className="sticky bottom-0 z-20 -mx-4 mt-6 flex flex-col gap-3 border-t border-slate-200 bg-white px-4 py-3 shadow-[0_-4px_12px_rgba(15,23,42,0.06)] sm:-mx-8 sm:px-8">
      {editor.stale && (
        <Alert tone="info" title="This app changed since you began editing">
          Saving would be refused. Discard your changes to see the app as it is now, then make them again.
        </Alert>
      )}
      {save.isError && (
        <Alert tone="error" title="The changes were not saved">
          {errorMessage(save.error)}
        </Alert>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <p className="mr-auto text-sm font-medium text-slate-700">You have unsaved changes.</p>
        <Button tone="secondary" onClick={editor.discard}>
          Discard changes
        </Button>
        <Button pending={save.isPending} onClick={onSave}>
          {save.isPending ? "Saving…" : "Save changes"}
        </Button>
      </div>
    </div>
  );
}
