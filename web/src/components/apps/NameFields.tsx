import { TextField } from "../TextField";
import { slugFrom } from "./appDraft";
import type { DraftFormProps } from "./draftForm";

/**
 * NameFields edits an app's name and slug. With linkSlug, the slug follows
 * the name as it is typed, until the slug is edited itself (onSlugEdited).
 */
export function NameFields({
  draft,
  onChange,
  errors,
  linkSlug = false,
  onSlugEdited,
}: DraftFormProps & { linkSlug?: boolean; onSlugEdited?: () => void }) {
  return (
    <div className="flex flex-col gap-4">
      <TextField
        label="Name"
        name="name"
        required
        maxLength={120}
        autoComplete="off"
        value={draft.name}
        error={errors.name}
        hint="What your team calls this API, e.g. Shop API."
        onChange={(event) =>
          onChange(
            linkSlug ? { name: event.target.value, slug: slugFrom(event.target.value) } : { name: event.target.value },
          )
        }
      />
      <TextField
        label="Slug"
        name="slug"
        required
        maxLength={63}
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        value={draft.slug}
        error={errors.slug}
        hint="Lowercase letters, digits and dashes; unique across the whole platform."
        onChange={(event) => {
          onSlugEdited?.();
          onChange({ slug: event.target.value });
        }}
      />
    </div>
  );
}
