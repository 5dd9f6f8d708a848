import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json, profile } from "../test/api";
import { location, renderAt } from "../test/render";
import { shopApp } from "./apps/testData";

type User = ReturnType<typeof renderAt>["user"];

const created = { revision: 10, app_id: shopApp.app_id };

function api(routes = {}) {
  return fakeAPI({ "GET /api/v1/me": json(200, profile), ...routes });
}

async function next(user: User) {
  await user.click(screen.getByRole("button", { name: "Next" }));
}

/** fillIn goes through the first three steps with a simple app. */
async function fillIn(user: User) {
  await user.type(await screen.findByLabelText("Name"), "Shop API");
  await next(user);
  await user.type(await screen.findByLabelText("Hostname 1"), "api.acme.example");
  await user.type(screen.getByLabelText("Path prefix 1"), "/v1");
  await next(user);
  await user.type(await screen.findByLabelText("Upstream 1 URL"), "http://10.0.0.5:8080");
  await next(user);
}

describe("new app wizard", () => {
  it("checks each step before the next, and sends nothing", async () => {
    const fake = api();
    const { user } = renderAt("/apps/new");

    await screen.findByLabelText("Name");
    await next(user);

    expect(screen.getByLabelText("Name")).toHaveAccessibleDescription(/Enter the app's name\./);
    expect(screen.getByLabelText("Slug")).toHaveAccessibleDescription(/Enter a slug\./);
    expect(screen.getByRole("heading", { level: 2, name: "Name" })).toBeInTheDocument();
    expect(fake.sent.filter((one) => one.method !== "GET")).toHaveLength(0);
  });

  it("makes the slug from the name until the slug is edited", async () => {
    api();
    const { user } = renderAt("/apps/new");

    await user.type(await screen.findByLabelText("Name"), "Crème Brûlée API");
    expect(screen.getByLabelText("Slug")).toHaveValue("creme-brulee-api");

    await user.clear(screen.getByLabelText("Slug"));
    await user.type(screen.getByLabelText("Slug"), "desserts");
    await user.type(screen.getByLabelText("Name"), " v2");
    expect(screen.getByLabelText("Slug")).toHaveValue("desserts");
  });

  it("says what is wrong with a hostname, a prefix and an upstream", async () => {
    api();
    const { user } = renderAt("/apps/new");
    await user.type(await screen.findByLabelText("Name"), "Shop API");
    await next(user);

    await user.type(screen.getByLabelText("Hostname 1"), "10.0.0.5");
    await user.click(screen.getByRole("button", { name: "Add path prefix" }));
    await user.type(screen.getByLabelText("Path prefix 1"), "v1");
    await next(user);
    expect(screen.getByLabelText("Hostname 1")).toHaveAccessibleDescription(/not an IP address/);
    expect(screen.getByLabelText("Path prefix 1")).toHaveAccessibleDescription("Start the prefix with /, like /v1.");

    await user.clear(screen.getByLabelText("Hostname 1"));
    await user.type(screen.getByLabelText("Hostname 1"), "api.acme.example");
    await user.clear(screen.getByLabelText("Path prefix 1"));
    await user.type(screen.getByLabelText("Path prefix 1"), "/v1");
    await next(user);

    await user.type(await screen.findByLabelText("Upstream 1 URL"), "ftp://files.acme.example");
    await user.clear(screen.getByLabelText("Upstream 1 Weight"));
    await user.type(screen.getByLabelText("Upstream 1 Weight"), "5000");
    await next(user);
    expect(screen.getByLabelText("Upstream 1 URL")).toHaveAccessibleDescription(/http:\/\/ or https:\/\/ URL/);
    expect(screen.getByLabelText("Upstream 1 Weight")).toHaveAccessibleDescription("Enter a whole number from 1 to 1,000.");
  });

  it("creates the app from every step and opens its page", async () => {
    const fake = api({
      "POST /api/v1/apps": json(201, created),
      [`GET /api/v1/apps/${shopApp.app_id}`]: json(200, shopApp),
    });
    const { user, router } = renderAt("/apps/new");

    await user.type(await screen.findByLabelText("Name"), "Shop API");
    await next(user);
    await user.type(screen.getByLabelText("Hostname 1"), "api.acme.example");
    await user.click(screen.getByRole("button", { name: "Add hostname" }));
    await user.type(screen.getByLabelText("Hostname 2"), "shop.acme.example");
    await user.type(screen.getByLabelText("Path prefix 1"), "/v1");
    await next(user);
    await user.type(screen.getByLabelText("Upstream 1 URL"), "http://10.0.0.5:8080");
    await user.clear(screen.getByLabelText("Upstream 1 Weight"));
    await user.type(screen.getByLabelText("Upstream 1 Weight"), "3");
    await user.click(screen.getByRole("button", { name: "Add upstream" }));
    await user.type(screen.getByLabelText("Upstream 2 URL"), "http://10.0.0.6:8080");
    await user.type(screen.getByLabelText("Read"), "10000");
    await next(user);

    await user.click(screen.getByLabelText("API keys or JWTs"));
    await next(user);
    expect(screen.getByRole("group", { name: "Algorithms" })).toHaveAccessibleDescription(/Choose at least one algorithm\./);
    await user.click(screen.getByLabelText("HS256"));
    await user.click(screen.getByLabelText("RS256"));
    await user.type(screen.getByLabelText("HS secret"), "a shared secret of 32 characters!");
    await user.type(screen.getByLabelText("JWKS URL"), "https://login.acme.example/.well-known/jwks.json");
    await user.type(screen.getByLabelText("Issuer"), "https://login.acme.example");
    await user.type(screen.getByLabelText("Audiences"), "shop, checkout");
    await user.type(screen.getByLabelText("Tenant claim"), "org_id");
    await next(user);

    expect(await screen.findByRole("heading", { level: 2, name: "Review" })).toBeInTheDocument();
    expect(screen.getByText("shop.acme.example")).toBeInTheDocument();
    expect(screen.getByText("set (hidden)")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Create app" }));

    await waitFor(() => expect(location(router)).toBe(`/apps/${shopApp.app_id}`));
    const [post] = fake.to("POST /api/v1/apps");
    expect(post?.headers.get("Idempotency-Key")).toBeTruthy();
    expect(post?.body).toEqual({
      name: "Shop API",
      slug: "shop-api",
      hostnames: ["api.acme.example", "shop.acme.example"],
      path_prefixes: ["/v1"],
      upstreams: [
        { url: "http://10.0.0.5:8080", weight: 3 },
        { url: "http://10.0.0.6:8080", weight: 1 },
      ],
      timeouts: { read_ms: 10000 },
      auth_mode: "both",
      status: "active",
      jwt: {
        algorithms: ["HS256", "RS256"],
        hs256_secret: "a shared secret of 32 characters!",
        issuer: "https://login.acme.example",
        audiences: ["shop", "checkout"],
        jwks_url: "https://login.acme.example/.well-known/jwks.json",
        tenant_claim: "org_id",
      },
    });
    expect(await screen.findByRole("heading", { level: 1, name: "Shop API" })).toBeInTheDocument();
    expect(fake.to(`GET /api/v1/apps/${shopApp.app_id}`).at(-1)?.headers.get("Aegis-Min-Revision")).toBe("10");
  });

  it("shows the API's refusal with the step it names, and keeps what was typed", async () => {
    api({ "POST /api/v1/apps": apiError(409, "conflict", 'slug "shop-api" is already used by another app') });
    const { user } = renderAt("/apps/new");
    await fillIn(user);
    await next(user);

    await user.click(await screen.findByRole("button", { name: "Create app" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The app was not created");
    expect(alert).toHaveTextContent('slug "shop-api" is already used by another app');
    expect(screen.getByRole("navigation", { name: "Steps" })).toHaveTextContent("Name (needs a change)");
    await user.click(within(alert).getByRole("button", { name: "Change in Name" }));

    expect(screen.getByLabelText("Name")).toHaveValue("Shop API");
    expect(screen.getByLabelText("Slug")).toHaveValue("shop-api");
    expect(screen.getByLabelText("Slug")).toHaveAccessibleDescription(/Slug "shop-api" is already used by another app/);
  });

  it("takes each problem of a refused body to its field", async () => {
    api({
      "POST /api/v1/apps": apiError(
        400,
        "invalid",
        'hostname "api.acme.example" is not a valid DNS name; ' +
          "jwt.jwks_url must not point at an internal address: the host 127.0.0.1 is a loopback address",
      ),
    });
    const { user } = renderAt("/apps/new");
    await fillIn(user);
    await next(user);
    await user.click(await screen.findByRole("button", { name: "Create app" }));

    const alert = await screen.findByRole("alert");
    expect(within(alert).getAllByRole("listitem")).toHaveLength(2);
    expect(within(alert).getByRole("button", { name: "Change in Routes" })).toBeInTheDocument();
    expect(within(alert).getByRole("button", { name: "Change in Authentication" })).toBeInTheDocument();

    await user.click(within(alert).getByRole("button", { name: "Change in Routes" }));
    expect(screen.getByRole("group", { name: "Hostnames" })).toHaveAccessibleDescription(/is not a valid DNS name/);
    expect(screen.getByLabelText("Hostname 1")).toHaveValue("api.acme.example");
  });

  it("goes back to a step and keeps every field", async () => {
    api();
    const { user } = renderAt("/apps/new");
    await fillIn(user);

    await user.click(screen.getByRole("button", { name: "Back" }));
    expect(screen.getByLabelText("Upstream 1 URL")).toHaveValue("http://10.0.0.5:8080");
    await user.click(screen.getByRole("button", { name: "Step 1: Name" }));
    expect(screen.getByLabelText("Name")).toHaveValue("Shop API");
  });
});
