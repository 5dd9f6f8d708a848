import { type FormEvent, useId, useState } from "react";
import { api, data } from "../../api/client";
import { errorMessage } from "../../api/error";
import { useApiMutation } from "../../api/mutation";
import { queryKeys } from "../../api/queryKeys";
import type { components } from "../../api/schema";
import { roleLabel, roles } from "../../lib/roles";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { notifiableGroups, notifiableTypes } from "./notifiable";

type Rule = components["schemas"]["NotificationRule"];

/** Choices maps each event type to the roles it emails. */
type Choices = Record<string, readonly string[]>;

/**
 * NotificationForm edits the notification settings: for each event type,
 * the roles whose members are emailed. Saving replaces the settings whole
 * (PUT /api/v1/settings/notifications); the API's message is shown if it
 * refuses. Rules for event types this page does not list are kept as
 * they are. Without canEdit, the form shows the settings only.
 */
export function NotificationForm({ rules, canEdit }: { rules: readonly Rule[]; canEdit: boolean }) {
  const [saved, setSaved] = useState(() => toChoices(rules));
  const [choices, setChoices] = useState(saved);
  const others = rules.filter((rule) => !notifiableTypes.includes(rule.event_type));
  const dirty = !sameChoices(choices, saved);
  const save = useApiMutation({
    mutationFn: (body: { rules: Rule[] }) => data(api.PUT("/api/v1/settings/notifications", { body })),
    invalidates: [queryKeys.notifications],
    successToast: "Notification settings saved",
    onSuccess: (_, body) => setSaved(toChoices(body.rules)),
  });

  function toggle(type: string, role: string, on: boolean) {
    setChoices((current) => {
      const now = current[type] ?? [];
      return { ...current, [type]: on ? [...now, role] : now.filter((one) => one !== role) };
    });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate({ rules: [...toRules(choices), ...others] });
  }

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-6">
      {save.isError && <Alert tone="error" title="The settings were not saved">{errorMessage(save.error)}</Alert>}
      {toRules(saved).length === 0 && (
        <Alert tone="info">No event emails anyone yet.{canEdit && " Tick the roles to email for each event, then save."}</Alert>
      )}
      <fieldset disabled={!canEdit || save.isPending} className="flex flex-col gap-6">
        <legend className="sr-only">Who is emailed for each event</legend>
        {notifiableGroups.map((group) => (
          <section key={group.title} className="overflow-hidden rounded-lg border border-slate-200 bg-white">
            <h2 className="border-b border-slate-200 bg-slate-50 px-4 py-2 text-sm font-semibold text-slate-900">
              {group.title}
            </h2>
            <ul className="divide-y divide-slate-200">
              {group.events.map((event) => (
                <li key={event.type}>
                  <EventRoles
                    label={event.label}
                    type={event.type}
                    chosen={choices[event.type] ?? []}
                    onToggle={(role, on) => toggle(event.type, role, on)}
                  />
                </li>
              ))}
            </ul>
          </section>
        ))}
      </fieldset>
      {canEdit && (
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:items-center sm:justify-end">
          {dirty && (
            <Button tone="secondary" onClick={() => setChoices(saved)} disabled={save.isPending}>
              Discard changes
            </Button>
          )}
          <Button type="submit" pending={save.isPending}>
            {save.isPending ? "Saving…" : "Save settings"}
          </Button>
        </div>
      )}
    </form>
  );
}

/** EventRoles is one event type's checkboxes, a group named by the event. */
function EventRoles({
  label,
  type,
  chosen,
  onToggle,
}: {
  label: string;
  type: string;
  chosen: readonly string[];
  onToggle: (role: string, on: boolean) => void;
}) {
  const id = useId();
  return (
    <fieldset
      aria-labelledby={`${id}-label`}
      aria-describedby={`${id}-type`}
      className="flex flex-col gap-2 px-4 py-3 md:flex-row md:items-center md:justify-between md:gap-4"
    >
      <div className="min-w-0">
        <p id={`${id}-label`} className="text-sm font-medium text-slate-900">
          {label}
        </p>
        <p id={`${id}-type`} className="font-mono text-xs text-slate-500">
          {type}
        </p>
      </div>
      <div className="flex flex-wrap gap-x-4 gap-y-2">
        {roles.map((role) => (
          <label key={role} className="inline-flex items-center gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              name={`${type}:${role}`}
              checked={chosen.includes(role)}
              onChange={(change) => onToggle(role, change.target.checked)}
              className="size-4 rounded border-slate-300 accent-indigo-600"
            />
            {roleLabel(role)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function toChoices(rules: readonly Rule[]): Choices {
  const choices: Choices = {};
  for (const rule of rules) {
    if (notifiableTypes.includes(rule.event_type)) {
      choices[rule.event_type] = rule.roles ?? [];
    }
  }
  return choices;
}

/** toRules returns a rule for each event type that emails anyone, its
 * roles from most to least powerful. */
function toRules(choices: Choices): Rule[] {
  return notifiableTypes
    .map((type) => ({ event_type: type, roles: roles.filter((role) => (choices[type] ?? []).includes(role)) }))
    .filter((rule) => rule.roles.length > 0);
}

function sameChoices(a: Choices, b: Choices): boolean {
  return JSON.stringify(toRules(a)) === JSON.stringify(toRules(b));
}
