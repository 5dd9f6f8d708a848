import { type ReactNode, useId } from "react";
import { Fieldset } from "./Fieldset";

/** Choice is one option of a ChoiceGroup. */
export type Choice<T extends string> = { value: T; label: string; description?: ReactNode };

/**
 * RadioGroup is one choice among a few, as native radio buttons under a
 * legend, each with its label and an optional description.
 */
export function RadioGroup<T extends string>({
  legend,
  choices,
  value,
  onChange,
  error,
  hint,
}: {
  legend: string;
  choices: readonly Choice<T>[];
  value: T;
  onChange: (value: T) => void;
  error?: string;
  hint?: ReactNode;
}) {
  const name = useId();
  return (
    <Fieldset legend={legend} error={error} hint={hint}>
      <div className="flex flex-col gap-2">
        {choices.map((choice) => (
          <ChoiceRow
            key={choice.value}
            type="radio"
            name={name}
            choice={choice}
            checked={value === choice.value}
            onChange={() => onChange(choice.value)}
          />
        ))}
      </div>
    </Fieldset>
  );
}

/** CheckboxGroup is any number of choices, as native checkboxes. */
export function CheckboxGroup<T extends string>({
  legend,
  choices,
  values,
  onChange,
  error,
  hint,
  columns = false,
}: {
  legend: string;
  choices: readonly Choice<T>[];
  values: readonly T[];
  onChange: (values: T[]) => void;
  error?: string;
  hint?: ReactNode;
  /** columns lays short choices out in a grid. */
  columns?: boolean;
}) {
  const name = useId();
  const toggle = (value: T) =>
    onChange(
      values.includes(value)
        ? values.filter((one) => one !== value)
        : choices.map((choice) => choice.value).filter((one) => one === value || values.includes(one)),
    );
  return (
    <Fieldset legend={legend} error={error} hint={hint}>
      <div className={columns ? "grid grid-cols-2 gap-2 sm:grid-cols-4" : "flex flex-col gap-2"}>
        {choices.map((choice) => (
          <ChoiceRow
            key={choice.value}
            type="checkbox"
            name={name}
            choice={choice}
            checked={values.includes(choice.value)}
            onChange={() => toggle(choice.value)}
          />
        ))}
      </div>
    </Fieldset>
  );
}

function ChoiceRow<T extends string>({
  type,
  name,
  choice,
  checked,
  onChange,
}: {
  type: "radio" | "checkbox";
  name: string;
  choice: Choice<T>;
  checked: boolean;
  onChange: () => void;
}) {
  const id = useId();
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        type={type}
        name={name}
        value={choice.value}
        checked={checked}
        aria-describedby={choice.description ? `${id}-description` : undefined}
        className="mt-0.5 size-4 shrink-0 accent-indigo-600"
        onChange={onChange}
      />
      <div className="text-sm">
        <label htmlFor={id} className="font-medium text-slate-800">
          {choice.label}
        </label>
        {choice.description && (
          <p id={`${id}-description`} className="text-slate-600">
            {choice.description}
          </p>
        )}
      </div>
    </div>
  );
}
