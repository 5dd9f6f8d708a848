import { rowErrors, type DraftFormProps } from "./draftForm";
import { ListField } from "./ListField";

/** RouteFields edits where the gateway reaches an app: its hostnames and
 * path prefixes. */
export function RouteFields({ draft, onChange, errors }: DraftFormProps) {
  return (
    <div className="flex flex-col gap-6">
      <ListField
        legend="Hostnames"
        item="hostname"
        values={draft.hostnames}
        onChange={(hostnames) => onChange({ hostnames })}
        errors={rowErrors(errors, "hostnames")}
        error={errors.hostnames}
        hint="The hosts callers use, e.g. api.acme.example; *.acme.example matches every subdomain. 1 to 20."
        placeholder="api.acme.example"
        inputMode="url"
        max={20}
      />
      <ListField
        legend="Path prefixes"
        item="path prefix"
        values={draft.pathPrefixes}
        onChange={(pathPrefixes) => onChange({ pathPrefixes })}
        errors={rowErrors(errors, "pathPrefixes")}
        error={errors.pathPrefixes}
        hint="Requests whose path starts with one of these go to this app, e.g. /v1. None means all paths (/)."
        placeholder="/v1"
        max={20}
      />
    </div>
  );
}
