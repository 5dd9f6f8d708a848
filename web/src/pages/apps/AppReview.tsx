import type { ReactNode } from "react";
import { type AppDraft, bodyFromDraft, usesHMAC } from "../../components/apps/appDraft";
import { authModeLabel } from "../../components/apps/AuthFields";
import { Button } from "../../components/Button";
import { wizardSteps } from "./wizardSteps";

/**
 * AppReview shows what the new app wizard will send, as the admin API
 * will store it (blank rows left out, defaults named), each part with a
 * button back to its step.
 */
export function AppReview({ draft, onEdit }: { draft: AppDraft; onEdit: (step: number) => void }) {
  const body = bodyFromDraft(draft);
  const jwt = body.jwt;
  const prefixes = body.path_prefixes?.length ? body.path_prefixes : ["/"];
  return (
    <div className="flex flex-col gap-4">
      <ReviewPart step={0} onEdit={onEdit}>
        <Item term="Name">{body.name}</Item>
        <Item term="Slug">
          <code>{body.slug}</code>
        </Item>
      </ReviewPart>
      <ReviewPart step={1} onEdit={onEdit}>
        <Item term="Hostnames">
          <CodeList items={body.hostnames ?? []} />
        </Item>
        <Item term="Path prefixes">
          <CodeList items={prefixes} />
        </Item>
      </ReviewPart>
      <ReviewPart step={2} onEdit={onEdit}>
        <Item term="Upstreams">
          <ul>
            {(body.upstreams ?? []).map((upstream, index) => (
              <li key={index}>
                <code className="break-all">{upstream.url}</code>{" "}
                <span className="text-slate-600">(weight {upstream.weight})</span>
              </li>
            ))}
          </ul>
        </Item>
        <Item term="Timeouts">
          connect {ms(body.timeouts?.connect_ms, 5000)}, read {ms(body.timeouts?.read_ms, 30000)}, write{" "}
          {ms(body.timeouts?.write_ms, 30000)}
        </Item>
      </ReviewPart>
      <ReviewPart step={3} onEdit={onEdit}>
        <Item term="Authentication">{authModeLabel(draft.authMode)}</Item>
        {jwt && (
          <>
            <Item term="Algorithms">{(jwt.algorithms ?? []).join(", ")}</Item>
            {usesHMAC(draft) && <Item term="HS secret">{draft.secret ? "set (hidden)" : "not set"}</Item>}
            {jwt.public_keys_pem && (
              <Item term="Public keys">
                {jwt.public_keys_pem.length} PEM {jwt.public_keys_pem.length === 1 ? "key" : "keys"}
              </Item>
            )}
            {jwt.jwks_url && (
              <Item term="JWKS URL">
                <code className="break-all">{jwt.jwks_url}</code>
              </Item>
            )}
            <Item term="Issuer">{jwt.issuer ?? "any"}</Item>
            <Item term="Audiences">{jwt.audiences?.join(", ") ?? "any"}</Item>
            <Item term="Claims">
              tenant <code>{jwt.tenant_claim ?? "tenant_id"}</code>, user <code>{jwt.user_claim ?? "sub"}</code>, roles{" "}
              <code>{jwt.roles_claim ?? "roles"}</code>
            </Item>
          </>
        )}
        {body.authorize_url && (
          <Item term="Authorization callout">
            <code className="break-all">{body.authorize_url}</code>
          </Item>
        )}
      </ReviewPart>
    </div>
  );
}

function ReviewPart({ step, onEdit, children }: { step: number; onEdit: (step: number) => void; children: ReactNode }) {
  const title = wizardSteps[step]?.title ?? "";
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex items-center justify-between gap-4">
        <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
        <Button tone="quiet" className="px-2 py-1" aria-label={`Edit ${title.toLowerCase()}`} onClick={() => onEdit(step)}>
          Edit
        </Button>
      </div>
      <dl className="mt-2 grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">{children}</dl>
    </section>
  );
}

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-600">{term}</dt>
      <dd className="min-w-0 text-slate-900">{children}</dd>
    </>
  );
}

function CodeList({ items }: { items: string[] }) {
  return (
    <ul>
      {items.map((item) => (
        <li key={item}>
          <code className="break-all">{item}</code>
        </li>
      ))}
    </ul>
  );
}

function ms(value: number | undefined, fallback: number): string {
  return `${(value ?? fallback).toLocaleString("en")} ms`;
}
