import { Button } from "../Button";
import { TextField } from "../TextField";
import type { UpstreamDraft } from "./appDraft";
import { type DraftFormProps, rowErrors } from "./draftForm";
import { controlClass, useFieldIds } from "./fieldIds";
import { FieldNotes } from "./FieldNotes";
import { Fieldset } from "./Fieldset";
import { RemoveButton } from "./ListField";

const maxUpstreams = 16;

/**
 * UpstreamFields edits where the gateway sends an app's requests: the
 * upstream URLs with their weights (a share of the requests), and the
 * timeouts.
 */
export function UpstreamFields({ draft, onChange, errors }: DraftFormProps) {
  const urlErrors = rowErrors(errors, "upstreams", "url");
  const weightErrors = rowErrors(errors, "upstreams", "weight");
  const upstreams = draft.upstreams;
  const set = (index: number, patch: Partial<UpstreamDraft>) =>
    onChange({ upstreams: upstreams.map((old, i) => (i === index ? { ...old, ...patch } : old)) });
  const remove = (index: number) =>
    onChange({ upstreams: upstreams.length > 1 ? upstreams.filter((_, i) => i !== index) : [{ url: "", weight: "1" }] });

  return (
    <div className="flex flex-col gap-6">
      <Fieldset
        legend="Upstreams"
        error={errors.upstreams}
        hint="Your API's servers: http:// or https:// URLs. Each gets a share of the requests in proportion to its weight (1 to 1,000)."
      >
        <ul className="flex flex-col gap-3">
          {upstreams.map((upstream, index) => (
            <UpstreamRow
              key={index}
              number={index + 1}
              upstream={upstream}
              urlError={urlErrors[index]}
              weightError={weightErrors[index]}
              onChange={(patch) => set(index, patch)}
              onRemove={upstreams.length > 1 || upstream.url !== "" ? () => remove(index) : undefined}
            />
          ))}
        </ul>
        <Button
          tone="secondary"
          className="mt-2"
          disabled={upstreams.length >= maxUpstreams}
          onClick={() => onChange({ upstreams: [...upstreams, { url: "", weight: "1" }] })}
        >
          Add upstream
        </Button>
      </Fieldset>
      <Fieldset legend="Timeouts" hint="In milliseconds. Leave a field blank for its default.">
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            label="Connect"
            name="connect_ms"
            inputMode="numeric"
            placeholder="5000"
            value={draft.connectMs}
            error={errors.connectMs}
            hint="Up to 60,000."
            onChange={(event) => onChange({ connectMs: event.target.value })}
          />
          <TextField
            label="Read"
            name="read_ms"
            inputMode="numeric"
            placeholder="30000"
            value={draft.readMs}
            error={errors.readMs}
            hint="Up to 600,000."
            onChange={(event) => onChange({ readMs: event.target.value })}
          />
          <TextField
            label="Write"
            name="write_ms"
            inputMode="numeric"
            placeholder="30000"
            value={draft.writeMs}
            error={errors.writeMs}
            hint="Up to 600,000."
            onChange={(event) => onChange({ writeMs: event.target.value })}
          />
        </div>
      </Fieldset>
    </div>
  );
}

function UpstreamRow({
  number,
  upstream,
  urlError,
  weightError,
  onChange,
  onRemove,
}: {
  number: number;
  upstream: UpstreamDraft;
  urlError?: string;
  weightError?: string;
  onChange: (patch: Partial<UpstreamDraft>) => void;
  onRemove?: () => void;
}) {
  const url = useFieldIds(undefined, urlError);
  const weight = useFieldIds(undefined, weightError);
  return (
    <li className="flex items-start gap-2">
      <div className="min-w-0 flex-1">
        <label htmlFor={url.id} className="block text-xs font-medium text-slate-600">
          <span className="sr-only">Upstream {number}</span> URL
        </label>
        <input
          id={url.id}
          type="url"
          inputMode="url"
          autoCapitalize="off"
          spellCheck={false}
          placeholder="http://10.0.0.5:8080"
          value={upstream.url}
          aria-invalid={urlError ? true : undefined}
          aria-describedby={url.describedBy}
          className={"mt-1 " + controlClass(urlError)}
          onChange={(event) => onChange({ url: event.target.value })}
        />
        <FieldNotes error={urlError} hintId={url.hintId} errorId={url.errorId} />
      </div>
      <div className="w-20 shrink-0 sm:w-24">
        <label htmlFor={weight.id} className="block text-xs font-medium text-slate-600">
          <span className="sr-only">Upstream {number}</span> Weight
        </label>
        <input
          id={weight.id}
          inputMode="numeric"
          value={upstream.weight}
          aria-invalid={weightError ? true : undefined}
          aria-describedby={weight.describedBy}
          className={"mt-1 " + controlClass(weightError)}
          onChange={(event) => onChange({ weight: event.target.value })}
        />
        <FieldNotes error={weightError} hintId={weight.hintId} errorId={weight.errorId} />
      </div>
      {onRemove && (
        <div className="mt-5">
          <RemoveButton label={`Remove upstream ${number}`} onClick={onRemove} />
        </div>
      )}
    </li>
  );
}
