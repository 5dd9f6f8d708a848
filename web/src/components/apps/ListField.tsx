import type { ReactNode } from "react";
import { Button } from "../Button";
import { controlClass, useFieldIds } from "./fieldIds";
import { FieldNotes } from "./FieldNotes";
import { Fieldset } from "./Fieldset";

/**
 * ListField edits a list of short texts, one input a row: each row is
 * labelled "<item> <n>" for screen readers, can be removed, and a button
 * adds a row, up to max. Blank rows are left out when the list is sent.
 */
export function ListField({
  legend,
  item,
  values,
  onChange,
  errors = {},
  error,
  hint,
  max,
  placeholder,
  inputMode,
}: {
  legend: string;
  /** item names one row, in lower case: "hostname". */
  item: string;
  values: string[];
  onChange: (values: string[]) => void;
  /** errors holds each row's error, by its index. */
  errors?: Record<number, string | undefined>;
  error?: string;
  hint?: ReactNode;
  max: number;
  placeholder?: string;
  inputMode?: "url" | "text";
}) {
  const set = (index: number, value: string) => onChange(values.map((old, i) => (i === index ? value : old)));
  const remove = (index: number) => onChange(values.length > 1 ? values.filter((_, i) => i !== index) : [""]);
  return (
    <Fieldset legend={legend} hint={hint} error={error}>
      <ul className="flex flex-col gap-2">
        {values.map((value, index) => (
          <ListRow
            // Rows have no identity but their place; typing keeps focus.
            key={index}
            label={`${capitalize(item)} ${index + 1}`}
            value={value}
            error={errors[index]}
            placeholder={placeholder}
            inputMode={inputMode}
            onChange={(next) => set(index, next)}
            onRemove={values.length > 1 || value !== "" ? () => remove(index) : undefined}
          />
        ))}
      </ul>
      <Button
        tone="secondary"
        className="mt-2"
        disabled={values.length >= max}
        onClick={() => onChange([...values, ""])}
      >
        Add {item}
      </Button>
    </Fieldset>
  );
}

function ListRow({
  label,
  value,
  error,
  placeholder,
  inputMode,
  onChange,
  onRemove,
}: {
  label: string;
  value: string;
  error?: string;
  placeholder?: string;
  inputMode?: "url" | "text";
  onChange: (value: string) => void;
  onRemove?: () => void;
}) {
  const { id, hintId, errorId, describedBy } = useFieldIds(undefined, error);
  return (
    <li>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          value={value}
          placeholder={placeholder}
          inputMode={inputMode}
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={controlClass(error)}
          onChange={(event) => onChange(event.target.value)}
        />
        {onRemove && <RemoveButton label={`Remove ${label.toLowerCase()}`} onClick={onRemove} />}
      </div>
      <FieldNotes error={error} hintId={hintId} errorId={errorId} />
    </li>
  );
}

/** RemoveButton is a small × button; label is its accessible name. */
export function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <Button tone="quiet" aria-label={label} title={label} className="shrink-0 px-3" onClick={onClick}>
      <span aria-hidden="true" className="text-lg leading-none">
        ×
      </span>
    </Button>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
