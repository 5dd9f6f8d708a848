import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json, profile } from "../test/api";
import { location, renderAt } from "../test/render";
import { billingApp, ciKey, shopApp, webKey } from "./apps/testData";

const secret = "aeg_prod_IxFed4Bpmw9EbLZTyOuv2dFR6rEujfMj_4KdQAp";
const rotated = "aeg_prod_mXtAEMM1qk0s2w1MxFfZZmhfHblBC5YV_0fck7N";

function api(routes = {}, role = "owner") {
  return fakeAPI({
    "GET /api/v1/me": json(200, { ...profile, role }),
    "GET /api/v1/apps": json(200, { apps: [shopApp, billingApp] }),
    "GET /api/v1/api-keys": json(200, { keys: [webKey, ciKey] }),
    ...routes,
  });
}

/** rowOf returns the table row of the key named name. */
function rowOf(name: string) {
  const cell = screen.getByText(name, { selector: "span" });
  return within(cell.closest("tr") as HTMLElement);
}

describe("API keys page", () => {
  it("lists the keys, masked, with their app, environment, scopes, tenant, expiry and status", async () => {
    api();
    renderAt("/keys");

    expect(await screen.findByText("aeg_prod_IxFe…dQAp")).toBeInTheDocument();
    const web = rowOf("web");
    expect(web.getByRole("link", { name: "Shop API" })).toHaveAttribute("href", `/apps/${shopApp.app_id}`);
    expect(web.getByText("Production")).toBeInTheDocument();
    expect(web.getByText("orders:read")).toBeInTheDocument();
    expect(web.getByText("Any")).toBeInTheDocument();
    expect(web.getByText("Never")).toBeInTheDocument();
    expect(web.getByText("Active")).toBeInTheDocument();
    expect(web.getByRole("button", { name: "Rotate web" })).toBeInTheDocument();
    expect(web.getByRole("button", { name: "Revoke web" })).toBeInTheDocument();

    const ci = rowOf("ci");
    expect(ci.getByText("aeg_stg_Q2w9…Zk3P")).toBeInTheDocument();
    expect(ci.getByRole("link", { name: "Billing" })).toBeInTheDocument();
    expect(ci.getByText("Staging")).toBeInTheDocument();
    expect(ci.getByText("tenant-42")).toBeInTheDocument();
    expect(ci.getByText("Limit: 100 per 60 s")).toBeInTheDocument();
    expect(ci.getByText("Revoked")).toBeInTheDocument();
    expect(ci.queryByRole("button", { name: "Rotate ci" })).not.toBeInTheDocument();
  });

  it("filters by app and environment, in the address too", async () => {
    const fake = api();
    const { user, router } = renderAt("/keys");
    await screen.findByText("aeg_prod_IxFe…dQAp");

    await user.selectOptions(screen.getByLabelText("App"), "Shop API");
    await user.selectOptions(screen.getByLabelText("Environment"), "Production");

    await waitFor(() => expect(location(router)).toBe(`/keys?app=${shopApp.app_id}&environment=production`));
    await waitFor(() =>
      expect(fake.to("GET /api/v1/api-keys").at(-1)?.search).toBe(`?app_id=${shopApp.app_id}&environment=production`),
    );
  });

  it("says when no key matches the filters, and shows them all on request", async () => {
    api({ "GET /api/v1/api-keys": json(200, { keys: [] }) });
    const { user, router } = renderAt("/keys?environment=development");

    expect(await screen.findByText("No keys match")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Show all keys" }));

    await waitFor(() => expect(location(router)).toBe("/keys"));
    expect(await screen.findByText("No API keys yet")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Create key" })).toBeInTheDocument();
  });

  it("asks for an app first when there is none", async () => {
    api({ "GET /api/v1/apps": json(200, { apps: [] }), "GET /api/v1/api-keys": json(200, { keys: null }) });
    renderAt("/keys");

    expect(await screen.findByRole("link", { name: "Create an app" })).toHaveAttribute("href", "/apps/new");
    expect(screen.queryByRole("button", { name: "Create key" })).not.toBeInTheDocument();
  });

  it("shows the API's message and tries again", async () => {
    const fake = api({ "GET /api/v1/api-keys": apiError(403, "forbidden", "this needs the viewer role or higher") });
    const { user } = renderAt("/keys");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load the API keys");
    expect(alert).toHaveTextContent("this needs the viewer role or higher");
    fake.on("GET /api/v1/api-keys", json(200, { keys: [webKey] }));
    await user.click(within(alert).getByRole("button", { name: "Try again" }));

    expect(await screen.findByText("aeg_prod_IxFe…dQAp")).toBeInTheDocument();
  });

  it("creates a key and shows it once, with a button that copies it", async () => {
    const fake = api({
      [`POST /api/v1/apps/${billingApp.app_id}/api-keys`]: json(201, {
        revision: 18,
        key_id: "01a21ac3-6351-710b-8890-a5e72892d48f",
        key: secret,
        prefix: "aeg_prod_IxFe",
        last4: "dQAp",
      }),
    });
    const { user } = renderAt("/keys");
    await user.click(await screen.findByRole("button", { name: "Create key" }));

    const form = await screen.findByRole("dialog", { name: "Create an API key" });
    await user.selectOptions(within(form).getByLabelText("App"), "Billing");
    await user.type(within(form).getByLabelText("Name"), "checkout");
    await user.selectOptions(within(form).getByLabelText("Environment"), "Staging");
    await user.type(within(form).getByLabelText("Scopes"), "orders:read, orders:write");
    await user.type(within(form).getByLabelText("Tenant ID"), "tenant-7");
    await user.type(within(form).getByLabelText("Requests"), "100");
    await user.type(within(form).getByLabelText("Per (seconds)"), "60");
    await user.click(within(form).getByRole("button", { name: "Create key" }));

    const shown = await screen.findByRole("dialog", { name: "Your new API key" });
    expect(within(shown).getByText("Copy this key now: it will not be shown again")).toBeInTheDocument();
    expect(within(shown).getByLabelText("API key")).toHaveValue(secret);
    await user.click(within(shown).getByRole("button", { name: "Copy the API key" }));
    expect(await navigator.clipboard.readText()).toBe(secret);
    expect(within(shown).getByText("Copied to the clipboard.")).toBeInTheDocument();

    const [post] = fake.to(`POST /api/v1/apps/${billingApp.app_id}/api-keys`);
    expect(post?.body).toEqual({
      name: "checkout",
      environment: "staging",
      scopes: ["orders:read", "orders:write"],
      tenant_id: "tenant-7",
      rate_limit: { requests: 100, period_seconds: 60 },
    });
    expect(post?.headers.get("Idempotency-Key")).toBeTruthy();
    await waitFor(() => expect(fake.to("GET /api/v1/api-keys").at(-1)?.headers.get("Aegis-Min-Revision")).toBe("18"));

    await user.click(within(shown).getByRole("button", { name: "I have copied the key" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(screen.queryByDisplayValue(secret)).not.toBeInTheDocument();
    expect(screen.queryByText(secret)).not.toBeInTheDocument();
  });

  it("checks the new key's fields, shows the API's message, and keeps what was typed", async () => {
    const fake = api({
      [`POST /api/v1/apps/${shopApp.app_id}/api-keys`]: apiError(400, "invalid", "expires_at must be in the future"),
    });
    const { user } = renderAt("/keys");
    await user.click(await screen.findByRole("button", { name: "Create key" }));
    const form = await screen.findByRole("dialog", { name: "Create an API key" });

    await user.type(within(form).getByLabelText("Scopes"), "orders read!");
    await user.type(within(form).getByLabelText("Requests"), "10");
    await user.click(within(form).getByRole("button", { name: "Create key" }));
    expect(within(form).getByLabelText("Name")).toHaveAccessibleDescription(/Enter a name for the key\./);
    expect(within(form).getByLabelText("Scopes")).toHaveAccessibleDescription(/"read!" is not a scope/);
    expect(within(form).getByRole("group", { name: "Rate limit for this key" })).toHaveAccessibleDescription(
      /Give both the number of requests and the period, or neither\./,
    );
    expect(fake.to(`POST /api/v1/apps/${shopApp.app_id}/api-keys`)).toHaveLength(0);

    await user.type(within(form).getByLabelText("Name"), "web");
    await user.clear(within(form).getByLabelText("Scopes"));
    await user.clear(within(form).getByLabelText("Requests"));
    await user.click(within(form).getByRole("button", { name: "Create key" }));

    expect(await within(form).findByRole("alert")).toHaveTextContent("expires_at must be in the future");
    expect(within(form).getByLabelText("Name")).toHaveValue("web");
  });

  it("rotates a key with a grace period and shows the new secret once", async () => {
    const fake = api({
      [`POST /api/v1/api-keys/${webKey.key_id}/rotate`]: json(200, {
        revision: 20,
        propagated: { nodes: 2, of: 2 },
        key_id: webKey.key_id,
        key: rotated,
        prefix: "aeg_prod_mXtA",
        last4: "ck7N",
      }),
    });
    const { user } = renderAt("/keys");
    await user.click(await screen.findByRole("button", { name: "Rotate web" }));

    const dialog = await screen.findByRole("dialog", { name: "Rotate “web”" });
    await user.selectOptions(within(dialog).getByLabelText("Grace period"), "7 days");
    await user.click(within(dialog).getByRole("button", { name: "Rotate key" }));

    const shown = await screen.findByRole("dialog", { name: "New secret for “web”" });
    expect(within(shown).getByLabelText("API key")).toHaveValue(rotated);
    expect(shown).toHaveTextContent("The old secret keeps working until about");
    expect(shown).toHaveTextContent("Propagated to 2 of 2 gateway nodes.");
    const [post] = fake.to(`POST /api/v1/api-keys/${webKey.key_id}/rotate`);
    expect(post?.body).toEqual({ grace_seconds: 604800 });
    expect(post?.search).toBe("?wait=propagated");

    await user.click(within(shown).getByRole("button", { name: "I have copied the key" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });

  it("revokes a key after asking, and says how many gateway nodes have applied it", async () => {
    const fake = api({
      [`DELETE /api/v1/api-keys/${webKey.key_id}`]: json(200, { revision: 21, propagated: { nodes: 2, of: 3 } }),
    });
    const { user } = renderAt("/keys");
    await user.click(await screen.findByRole("button", { name: "Revoke web" }));

    const confirm = await screen.findByRole("alertdialog", { name: "Revoke “web”?" });
    expect(confirm).toHaveTextContent("aeg_prod_IxFe…dQAp");
    fake.on("GET /api/v1/api-keys", json(200, { keys: [{ ...webKey, status: "revoked" }, ciKey] }));
    await user.click(within(confirm).getByRole("button", { name: "Revoke key" }));

    const done = await screen.findByRole("dialog", { name: "“web” is revoked" });
    expect(done).toHaveTextContent("Propagated to 2 of 3 gateway nodes. The others apply it as soon as they catch up.");
    const [sent] = fake.to(`DELETE /api/v1/api-keys/${webKey.key_id}`);
    expect(sent?.search).toBe("?wait=propagated");
    await user.click(within(done).getByRole("button", { name: "Done" }));

    await waitFor(() => expect(rowOf("web").getByText("Revoked")).toBeInTheDocument());
    expect(fake.to("GET /api/v1/api-keys").at(-1)?.headers.get("Aegis-Min-Revision")).toBe("21");
  });

  it("cancels a revocation without sending it", async () => {
    const fake = api();
    const { user } = renderAt("/keys");
    await user.click(await screen.findByRole("button", { name: "Revoke web" }));

    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Cancel" }));

    await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
    expect(fake.to(`DELETE /api/v1/api-keys/${webKey.key_id}`)).toHaveLength(0);
  });

  it("lets a viewer see the keys but not change them", async () => {
    api({}, "viewer");
    renderAt("/keys");

    expect(await screen.findByText("aeg_prod_IxFe…dQAp")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Create key" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Rotate web" })).not.toBeInTheDocument();
  });
});
