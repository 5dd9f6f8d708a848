import { useId } from "react";
import { PasswordField } from "../PasswordField";
import { TextField } from "../TextField";
import { algorithms, type AuthMode, usesHMAC, usesPublicKeys } from "./appDraft";
import { CheckboxGroup, type Choice, RadioGroup } from "./ChoiceGroup";
import type { DraftFormProps } from "./draftForm";
import { Fieldset } from "./Fieldset";
import { TextAreaField } from "./TextAreaField";

/** authModes are the ways an app's callers can authenticate. */
export const authModes: readonly Choice<AuthMode>[] = [
  { value: "api_key", label: "API keys", description: "Callers send one of the app's API keys." },
  { value: "jwt", label: "JWTs", description: "Callers send a JWT your identity provider signed." },
  { value: "both", label: "API keys or JWTs", description: "Either one is accepted." },
];

/** authModeLabel returns how an auth mode reads in lists. */
export function authModeLabel(mode: string): string {
  return authModes.find((choice) => choice.value === mode)?.label ?? mode;
}

const algorithmChoices = algorithms.map((algorithm) => ({ value: algorithm, label: algorithm }));

/**
 * AuthFields edits how an app's callers authenticate, and with JWTs how
 * the gateway checks them. hasSecret says that the app has an HS secret
 * already, which a blank secret field keeps.
 */
export function AuthFields({ draft, onChange, errors, hasSecret = false }: DraftFormProps & { hasSecret?: boolean }) {
  return (
    <div className="flex flex-col gap-6">
      <RadioGroup
        legend="Authentication"
        choices={authModes}
        value={draft.authMode}
        error={errors.authMode}
        onChange={(authMode) => onChange({ authMode })}
      />
      {draft.authMode !== "api_key" && <JWTFields draft={draft} onChange={onChange} errors={errors} hasSecret={hasSecret} />}
    </div>
  );
}

function JWTFields({ draft, onChange, errors, hasSecret }: DraftFormProps & { hasSecret: boolean }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-5 rounded-lg border border-slate-200 bg-slate-50 p-4">
      <h3 id={headingId} className="text-base font-semibold text-slate-900">
        JWT settings
      </h3>
      <CheckboxGroup
        legend="Algorithms"
        hint="The gateway refuses a token signed with any other algorithm."
        choices={algorithmChoices}
        values={draft.algorithms}
        error={errors.algorithms}
        columns
        onChange={(chosen) => onChange({ algorithms: chosen })}
      />
      {usesHMAC(draft) && (
        <PasswordField
          label="HS secret"
          name="hs256_secret"
          autoComplete="off"
          value={draft.secret}
          error={errors.secret}
          hint={
            hasSecret
              ? "A secret is set. Leave this blank to keep it, or enter a new one (at least 32 characters) to replace it."
              : "The shared secret the tokens are signed with: at least 32 characters. It is stored encrypted and never shown again."
          }
          onChange={(event) => onChange({ secret: event.target.value })}
        />
      )}
      {usesPublicKeys(draft) && (
        <>
          <TextAreaField
            label="Public keys (PEM)"
            name="public_keys_pem"
            rows={5}
            spellCheck={false}
            placeholder={"-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----"}
            value={draft.publicKeys}
            error={errors.publicKeys}
            hint="One or more keys, each from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----. Or give a JWKS URL."
            onChange={(event) => onChange({ publicKeys: event.target.value })}
          />
          <TextField
            label="JWKS URL"
            name="jwks_url"
            type="url"
            inputMode="url"
            autoCapitalize="off"
            spellCheck={false}
            placeholder="https://login.acme.example/.well-known/jwks.json"
            value={draft.jwksUrl}
            error={errors.jwksUrl}
            hint="Where your identity provider publishes its keys; it must be reachable from the internet."
            onChange={(event) => onChange({ jwksUrl: event.target.value })}
          />
        </>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Issuer"
          name="issuer"
          autoCapitalize="off"
          spellCheck={false}
          value={draft.issuer}
          error={errors.issuer}
          hint="Optional: the iss a token must carry."
          onChange={(event) => onChange({ issuer: event.target.value })}
        />
        <TextField
          label="Audiences"
          name="audiences"
          autoCapitalize="off"
          spellCheck={false}
          value={draft.audiences}
          error={errors.audiences}
          hint="Optional: accepted aud values, separated by commas."
          onChange={(event) => onChange({ audiences: event.target.value })}
        />
      </div>
      <Fieldset
        legend="Claim names"
        error={errors.claims}
        hint="Where the gateway finds the tenant, the user and their roles in a token."
      >
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            label="Tenant claim"
            name="tenant_claim"
            autoCapitalize="off"
            spellCheck={false}
            placeholder="tenant_id"
            value={draft.tenantClaim}
            error={errors.tenantClaim}
            onChange={(event) => onChange({ tenantClaim: event.target.value })}
          />
          <TextField
            label="User claim"
            name="user_claim"
            autoCapitalize="off"
            spellCheck={false}
            placeholder="sub"
            value={draft.userClaim}
            error={errors.userClaim}
            onChange={(event) => onChange({ userClaim: event.target.value })}
          />
          <TextField
            label="Roles claim"
            name="roles_claim"
            autoCapitalize="off"
            spellCheck={false}
            placeholder="roles"
            value={draft.rolesClaim}
            error={errors.rolesClaim}
            onChange={(event) => onChange({ rolesClaim: event.target.value })}
          />
        </div>
      </Fieldset>
    </section>
  );
}

/** AuthorizeField edits the app's authorization callout. */
export function AuthorizeField({ draft, onChange, errors }: DraftFormProps) {
  return (
    <TextField
      label="Authorization callout URL"
      name="authorize_url"
      type="url"
      inputMode="url"
      autoCapitalize="off"
      spellCheck={false}
      placeholder="https://api.acme.example/aegis/authorize"
      value={draft.authorizeUrl}
      error={errors.authorizeUrl}
      hint="Optional: the gateway asks it whether a caller may do what they ask, when the app's roles do not say."
      onChange={(event) => onChange({ authorizeUrl: event.target.value })}
    />
  );
}
