import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json, profile } from "../test/api";
import { location, renderAt } from "../test/render";
import { billingApp, shopApp, webKey } from "./apps/testData";

const shopPath = `/api/v1/apps/${shopApp.app_id}`;
const billingPath = `/api/v1/apps/${billingApp.app_id}`;

function api(routes = {}, role = "owner") {
  return fakeAPI({
    "GET /api/v1/me": json(200, { ...profile, role }),
    [`GET ${shopPath}`]: json(200, shopApp),
    [`GET ${billingPath}`]: json(200, billingApp),
    "GET /api/v1/apps": json(200, { apps: [shopApp, billingApp] }),
    ...routes,
  });
}

describe("app page", () => {
  it("shows the app's settings, and saves a change with the revision it started from", async () => {
    const renamed = { ...shopApp, config: { ...shopApp.config, name: "Shop API v2" }, revision: 17 };
    const fake = api({ [`PUT ${shopPath}`]: json(200, { revision: 17, app_id: shopApp.app_id }) });
    const { user } = renderAt(`/apps/${shopApp.app_id}`);

    expect(await screen.findByRole("heading", { level: 1, name: "Shop API" })).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Settings" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByLabelText("Slug")).toHaveValue("shop");
    expect(screen.getByLabelText("Hostname 1")).toHaveValue("api.acme.example");
    expect(screen.getByLabelText("Active")).toBeChecked();
    expect(screen.queryByRole("button", { name: "Save changes" })).not.toBeInTheDocument();

    await user.clear(screen.getByLabelText("Name"));
    await user.type(screen.getByLabelText("Name"), "Shop API v2");
    await user.click(screen.getByLabelText("Suspended"));
    fake.on(`GET ${shopPath}`, json(200, renamed));
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    expect(await screen.findByRole("heading", { level: 1, name: "Shop API v2" })).toBeInTheDocument();
    const [put] = fake.to(`PUT ${shopPath}`);
    expect(put?.headers.get("If-Match")).toBe("10");
    expect(put?.body).toEqual({
      name: "Shop API v2",
      slug: "shop",
      hostnames: ["api.acme.example"],
      path_prefixes: ["/v1"],
      upstreams: [
        { url: "http://10.0.0.5:8080", weight: 3 },
        { url: "http://10.0.0.6:8080", weight: 1 },
      ],
      timeouts: { connect_ms: 5000, read_ms: 30000, write_ms: 30000 },
      auth_mode: "api_key",
      status: "suspended",
    });
    expect(fake.to(`GET ${shopPath}`).at(-1)?.headers.get("Aegis-Min-Revision")).toBe("17");
    await waitFor(() => expect(screen.queryByRole("button", { name: "Save changes" })).not.toBeInTheDocument());
  });

  it("says so when the app changed meanwhile, and discards the changes on request", async () => {
    const fake = api({
      [`PUT ${shopPath}`]: apiError(409, "conflict", "the app changed since revision 10 (it is at 11); reload and try again"),
    });
    const { user } = renderAt(`/apps/${shopApp.app_id}`);
    await user.type(await screen.findByLabelText("Name"), " v2");
    fake.on(`GET ${shopPath}`, json(200, { ...shopApp, config: { ...shopApp.config, name: "Shop" }, revision: 11 }));

    await user.click(screen.getByRole("button", { name: "Save changes" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("the app changed since revision 10 (it is at 11)");
    expect(await screen.findByText("This app changed since you began editing")).toBeInTheDocument();
    expect(screen.getByLabelText("Name")).toHaveValue("Shop API v2");
    await user.click(screen.getByRole("button", { name: "Discard changes" }));
    expect(screen.getByLabelText("Name")).toHaveValue("Shop");
  });

  it("adds, weighs and removes upstreams, and sets timeouts", async () => {
    const fake = api({ [`PUT ${shopPath}`]: json(200, { revision: 18, app_id: shopApp.app_id }) });
    const { user } = renderAt(`/apps/${shopApp.app_id}?tab=upstreams`);

    expect(await screen.findByLabelText("Upstream 2 URL")).toHaveValue("http://10.0.0.6:8080");
    await user.click(screen.getByRole("button", { name: "Remove upstream 1" }));
    await user.click(screen.getByRole("button", { name: "Add upstream" }));
    await user.type(screen.getByLabelText("Upstream 2 URL"), "https://shop-b.acme.example");
    await user.clear(screen.getByLabelText("Upstream 2 Weight"));
    await user.type(screen.getByLabelText("Upstream 2 Weight"), "4");
    await user.clear(screen.getByLabelText("Read"));
    await user.type(screen.getByLabelText("Read"), "60000");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(fake.to(`PUT ${shopPath}`)).toHaveLength(1));
    const body = fake.to(`PUT ${shopPath}`)[0]?.body as { upstreams: unknown; timeouts: unknown };
    expect(body.upstreams).toEqual([
      { url: "http://10.0.0.6:8080", weight: 1 },
      { url: "https://shop-b.acme.example", weight: 4 },
    ]);
    expect(body.timeouts).toEqual({ connect_ms: 5000, read_ms: 60000, write_ms: 30000 });
  });

  it("checks every tab before saving and opens the one with a problem", async () => {
    const fake = api();
    const { user, router } = renderAt(`/apps/${shopApp.app_id}?tab=upstreams`);
    await user.clear(await screen.findByLabelText("Upstream 1 URL"));
    await user.type(screen.getByLabelText("Upstream 1 URL"), "10.0.0.5");
    await user.click(screen.getByRole("tab", { name: "JWT" }));
    await user.click(screen.getByLabelText("JWTs"));

    await user.click(screen.getByRole("button", { name: "Save changes" }));

    expect(screen.getByRole("tab", { name: "Upstreams (needs a change)" })).toHaveAttribute("aria-selected", "true");
    expect(location(router)).toBe(`/apps/${shopApp.app_id}?tab=upstreams`);
    expect(screen.getByLabelText("Upstream 1 URL")).toHaveAccessibleDescription(/http:\/\/ or https:\/\/ URL/);
    expect(screen.getByRole("tab", { name: "JWT (needs a change)" })).toBeInTheDocument();
    expect(fake.to(`PUT ${shopPath}`)).toHaveLength(0);
  });

  it("keeps the HS secret unless a new one is typed", async () => {
    const fake = api({ [`PUT ${billingPath}`]: json(200, { revision: 19, app_id: billingApp.app_id }) });
    const { user } = renderAt(`/apps/${billingApp.app_id}?tab=jwt`);

    expect(await screen.findByLabelText("JWTs")).toBeChecked();
    expect(screen.getByLabelText("HS256")).toBeChecked();
    expect(screen.getByLabelText("HS secret")).toHaveAccessibleDescription(/A secret is set\. Leave this blank to keep it/);
    await user.type(screen.getByLabelText("Audiences"), "billing");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(fake.to(`PUT ${billingPath}`)).toHaveLength(1));
    expect(fake.to(`PUT ${billingPath}`)[0]?.body).toMatchObject({
      auth_mode: "jwt",
      status: "suspended",
      jwt: {
        algorithms: ["HS256"],
        audiences: ["billing"],
        issuer: "https://login.acme.example",
        tenant_claim: "tenant_id",
        user_claim: "sub",
        roles_claim: "roles",
      },
    });
    expect(fake.to(`PUT ${billingPath}`)[0]?.body).not.toHaveProperty("jwt.hs256_secret");
  });

  it("lists the app's own keys in its Keys tab", async () => {
    const fake = api({ [`GET ${shopPath}/api-keys`]: json(200, { keys: [webKey] }) });
    const { user } = renderAt(`/apps/${shopApp.app_id}`);

    await user.click(await screen.findByRole("tab", { name: "Keys" }));

    expect(await screen.findByText("aeg_prod_IxFe…dQAp")).toBeInTheDocument();
    expect(screen.queryByLabelText("App")).not.toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("Environment"), "staging");
    await waitFor(() => expect(fake.to(`GET ${shopPath}/api-keys`).at(-1)?.search).toBe("?environment=staging"));
  });

  it("deletes the app once its slug is typed, and goes to the list", async () => {
    const fake = api({ [`DELETE ${shopPath}`]: json(200, { revision: 32, app_id: shopApp.app_id }) });
    const { user, router } = renderAt(`/apps/${shopApp.app_id}`);
    await user.click(await screen.findByRole("button", { name: "Delete app" }));

    const dialog = await screen.findByRole("dialog", { name: "Delete Shop API?" });
    await user.click(within(dialog).getByRole("button", { name: "Delete app" }));
    expect(within(dialog).getByLabelText("Type shop to confirm")).toHaveAccessibleDescription("Type shop to confirm.");
    expect(fake.to(`DELETE ${shopPath}`)).toHaveLength(0);

    fake.on("GET /api/v1/apps", json(200, { apps: [billingApp] }));
    fake.on(`GET ${shopPath}`, apiError(404, "not_found", "app not found"));
    await user.type(within(dialog).getByLabelText("Type shop to confirm"), "shop");
    await user.click(within(dialog).getByRole("button", { name: "Delete app" }));

    await waitFor(() => expect(location(router)).toBe("/apps"));
    expect(await screen.findByRole("link", { name: "Billing" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Shop API" })).not.toBeInTheDocument();
    expect(fake.to(`DELETE ${shopPath}`)).toHaveLength(1);
  });

  it("lets a viewer look but not change", async () => {
    api({}, "viewer");
    renderAt(`/apps/${shopApp.app_id}`);

    expect(await screen.findByLabelText("Name")).toBeDisabled();
    expect(screen.getByText("Your role (viewer) can see this app but not change it.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Delete app" })).not.toBeInTheDocument();
  });

  it("says so when the app does not exist", async () => {
    api({ [`GET ${shopPath}`]: apiError(404, "not_found", "app not found") });
    renderAt(`/apps/${shopApp.app_id}`);

    expect(await screen.findByRole("alert")).toHaveTextContent("app not found");
    expect(screen.getByRole("heading", { level: 1, name: "App" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Back to apps" })).toHaveAttribute("href", "/apps");
  });
});
