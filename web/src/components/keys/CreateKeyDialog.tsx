import { type FormEvent, useState } from "react";
import { api, data } from "../../api/client";
import { errorMessage } from "../../api/error";
import { useApiMutation } from "../../api/mutation";
import type { components } from "../../api/schema";
import { Alert } from "../Alert";
import type { App } from "../apps/appQueries";
import { Fieldset } from "../apps/Fieldset";
import { Button } from "../Button";
import { Modal } from "../Dialog";
import { SelectField } from "../SelectField";
import { TextField } from "../TextField";
import { checkKeyForm, type KeyForm, type KeyFormErrors, keyBody } from "./keyForm";
import { type Environment, environments, keysChangedBy } from "./keyQueries";
import { SecretReveal } from "./SecretReveal";

type CreateKeyBody = components["schemas"]["CreateKeyInputBody"];

/**
 * CreateKeyDialog creates an API key for one of apps (POST
 * /api/v1/apps/{id}/api-keys): its name, environment, scopes, tenant,
 * expiry and rate limit. The new key is then shown, once, in the same
 * dialog. fixedApp leaves out the choice of app.
 */
export function CreateKeyDialog({
  apps,
  appId,
  environment,
  fixedApp = false,
  onClose,
}: {
  apps: App[];
  appId?: string;
  environment?: Environment;
  fixedApp?: boolean;
  onClose: () => void;
}) {
  const [form, setForm] = useState<KeyForm>({
    appId: appId ?? apps[0]?.app_id ?? "",
    name: "",
    environment: environment ?? "production",
    scopes: "",
    tenantId: "",
    expiresAt: "",
    requests: "",
    periodSeconds: "",
  });
  const [errors, setErrors] = useState<KeyFormErrors>({});

  const create = useApiMutation({
    mutationFn: ({ app, body }: { app: string; body: CreateKeyBody }) =>
      data(api.POST("/api/v1/apps/{id}/api-keys", { params: { path: { id: app } }, body })),
    invalidates: keysChangedBy(form.appId),
  });

  const edit = (field: keyof KeyForm) => (value: string) => {
    setForm((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined, rateLimit: undefined }));
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = checkKeyForm(form, new Date());
    setErrors(found);
    if (!Object.values(found).some(Boolean)) {
      create.mutate({ app: form.appId, body: keyBody(form) });
    }
  }

  if (create.data) {
    return (
      <Modal open onOpenChange={(open) => !open && onClose()} title="Your new API key" dismissible={false}>
        <SecretReveal secret={create.data.key} />
        <p className="text-sm text-slate-700">
          Lists show it as <code className="font-mono">{`${create.data.prefix}…${create.data.last4}`}</code>.
        </p>
        <div className="flex justify-end">
          <Button onClick={onClose}>I have copied the key</Button>
        </div>
      </Modal>
    );
  }

  const appName = apps.find((app) => app.app_id === form.appId)?.config.name;
  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title="Create an API key"
      description={
        fixedApp && appName
          ? `For ${appName}. The key is shown once, when it is created.`
          : "The key is shown once, when it is created."
      }
    >
      <form noValidate onSubmit={submit} className="flex flex-col gap-4">
        {create.isError && <Alert tone="error">{errorMessage(create.error)}</Alert>}
        {!fixedApp && (
          <SelectField
            label="App"
            name="app_id"
            value={form.appId}
            error={errors.appId}
            onChange={(event) => edit("appId")(event.target.value)}
          >
            {apps.map((app) => (
              <option key={app.app_id} value={app.app_id}>
                {app.config.name}
              </option>
            ))}
          </SelectField>
        )}
        <TextField
          label="Name"
          name="name"
          required
          maxLength={80}
          autoComplete="off"
          value={form.name}
          error={errors.name}
          hint="What the key is for, e.g. web checkout."
          onChange={(event) => edit("name")(event.target.value)}
        />
        <SelectField
          label="Environment"
          name="environment"
          value={form.environment}
          onChange={(event) => edit("environment")(event.target.value)}
        >
          {environments.map((one) => (
            <option key={one.value} value={one.value}>
              {one.label}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Scopes"
          name="scopes"
          autoCapitalize="off"
          spellCheck={false}
          placeholder="orders:read, orders:write"
          value={form.scopes}
          error={errors.scopes}
          hint="Optional, separated by commas or spaces: letters, digits and _ . : / -."
          onChange={(event) => edit("scopes")(event.target.value)}
        />
        <TextField
          label="Tenant ID"
          name="tenant_id"
          autoCapitalize="off"
          spellCheck={false}
          maxLength={128}
          value={form.tenantId}
          error={errors.tenantId}
          hint="Optional: binds the key to one of your tenants."
          onChange={(event) => edit("tenantId")(event.target.value)}
        />
        <TextField
          label="Expires"
          name="expires_at"
          type="datetime-local"
          value={form.expiresAt}
          error={errors.expiresAt}
          hint="Optional, in your time zone. Leave it blank for a key that does not expire."
          onChange={(event) => edit("expiresAt")(event.target.value)}
        />
        <Fieldset
          legend="Rate limit for this key"
          error={errors.rateLimit}
          hint="Optional: overrides the app's rate limit. Give both, or neither."
        >
          <div className="grid grid-cols-2 gap-3">
            <TextField
              label="Requests"
              name="rate_limit_requests"
              inputMode="numeric"
              value={form.requests}
              error={errors.requests}
              onChange={(event) => edit("requests")(event.target.value)}
            />
            <TextField
              label="Per (seconds)"
              name="rate_limit_period_seconds"
              inputMode="numeric"
              placeholder="60"
              value={form.periodSeconds}
              error={errors.periodSeconds}
              onChange={(event) => edit("periodSeconds")(event.target.value)}
            />
          </div>
        </Fieldset>
        <div className="flex flex-wrap justify-end gap-3">
          <Button tone="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" pending={create.isPending}>
            {create.isPending ? "Creating key…" : "Create key"}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
