import { type APIRequestContext, type Page } from "@playwright/test";
import { backendURL, gatewayURL } from "./support/env";
import { expect, look, test } from "./support/fixtures";
import { waitForMail } from "./support/mail";

// One customer's first day, against the real platform that global setup
// started: sign up, verify the email address, log in, put an API behind
// the gateway, call it with a key, revoke the key, log out.

const company = "Acme E2E";
const email = `ada+${Date.now()}@example.com`;
const password = "correct horse battery staple";
const app = { name: "Shop API", slug: "shop-e2e", hostname: "e2e.localhost" };
const tenant = "acme";

test("a customer signs up, puts an API behind the gateway, calls it with a key and revokes the key", async ({ page, request, consoleErrors }) => {
  test.setTimeout(180_000);

  await test.step("register", async () => {
    await page.goto("/register");
    await expect(page.getByRole("heading", { name: "Create your Aegis account" })).toBeVisible();
    await look(page, "register", { alsoNarrow: true });
    await page.getByLabel("Company name").fill(company);
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
    await look(page, "register-check-inbox");
  });

  const link = await test.step("read the verification email", async () => {
    const mail = await waitForMail(email, /verify/i);
    const found = /https?:\/\/\S+\/verify\?token=[\w.~-]+/.exec(mail.text)?.[0];
    expect(found, `a verification link in:\n${mail.text}`).toBeTruthy();
    return new URL(found!);
  });

  await test.step("verify the email address", async () => {
    expect(link.origin, "the link's base is AEGIS_PUBLIC_URL, the dashboard's address").toBe(new URL(page.url()).origin);
    await page.goto(link.pathname + link.search);
    await expect(page.getByRole("heading", { name: "Verify your email address" })).toBeVisible();
    await look(page, "verify");
    await page.getByRole("button", { name: "Verify my email address" }).click();
    await expect(page.getByRole("heading", { name: "Your email address is verified" })).toBeVisible();
    await look(page, "verified");
    await page.getByRole("link", { name: "Log in" }).click();
  });

  await test.step("log in", async () => {
    await expect(page.getByRole("heading", { name: "Log in to Aegis" })).toBeVisible();
    await look(page, "login", { alsoNarrow: true });
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL("/");
    await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
    await expect(page.getByText(company).first()).toBeVisible();
    await look(page, "home", { alsoNarrow: true });
  });

  const appId = await test.step("create an app", async () => {
    await mainNav(page).getByRole("link", { name: "Apps" }).click();
    await expect(page).toHaveURL("/apps");
    await expect(page.getByText("No apps yet", { exact: true })).toBeVisible();
    await look(page, "apps-empty", { alsoNarrow: true });

    await page.getByRole("link", { name: "Create your first app" }).click();
    await expect(page).toHaveURL("/apps/new");
    await expect(page.getByRole("heading", { name: "New app", level: 1 })).toBeVisible();
    const step = (title: string) => expect(page.getByRole("heading", { name: title, level: 2 })).toBeVisible();
    const next = () => page.getByRole("button", { name: "Next" }).click();

    await step("Name");
    await look(page, "app-new-name", { alsoNarrow: true });
    await page.getByLabel("Name", { exact: true }).fill(app.name);
    await page.getByLabel("Slug", { exact: true }).fill(app.slug);
    await next();

    await step("Routes");
    await page.getByLabel("Hostname 1", { exact: true }).fill(app.hostname);
    await page.getByLabel("Path prefix 1", { exact: true }).fill("/");
    await look(page, "app-new-routes");
    await next();

    await step("Upstreams");
    await page.getByLabel("Upstream 1 URL", { exact: true }).fill(backendURL);
    await look(page, "app-new-upstreams");
    await next();

    await step("Authentication");
    await page.getByRole("radio", { name: "API keys", exact: true }).check();
    await look(page, "app-new-authentication");
    await next();

    await step("Review");
    await look(page, "app-new-review", { alsoNarrow: true });
    await page.getByRole("button", { name: "Create app" }).click();

    await expect(page).toHaveURL(/\/apps\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { name: app.name, level: 1 })).toBeVisible();
    await look(page, "app-detail", { alsoNarrow: true });
    return new URL(page.url()).pathname.split("/").pop()!;
  });

  const key = await test.step("create a production key", async () => {
    await page.getByRole("tab", { name: "Keys" }).click();
    await expect(page.getByText("No API keys yet", { exact: true })).toBeVisible();
    await look(page, "app-keys-empty");
    await page.getByRole("button", { name: "Create key" }).click();

    const form = page.getByRole("dialog", { name: "Create an API key" });
    await expect(form).toBeVisible();
    await form.getByLabel("Name", { exact: true }).fill("e2e");
    await form.getByLabel("Environment").selectOption("production");
    await form.getByLabel("Tenant ID").fill(tenant);
    await look(page, "key-new");
    await form.getByRole("button", { name: "Create key" }).click();

    // The secret is shown once, in a dialog: read it from the page.
    const shown = page.getByRole("dialog", { name: "Your new API key" });
    const field = shown.getByLabel("API key", { exact: true });
    await expect(field).toHaveValue(/^aeg_prod_/);
    await look(page, "key-created");
    const secret = await field.inputValue();
    await shown.getByRole("button", { name: "I have copied the key" }).click();
    await expect(page.getByRole("dialog")).toBeHidden();
    await expect(page.getByRole("row").filter({ hasText: "e2e" })).toHaveCount(1);
    await look(page, "app-keys", { alsoNarrow: true });
    return secret;
  });

  await test.step("call the gateway with the key", async () => {
    let answer: Record<string, unknown> = {};
    await expect(async () => {
      const res = await callGateway(request, `/echo/e2e?step=1`, key);
      expect(res.status(), await res.text()).toBe(200);
      answer = (await res.json()) as Record<string, unknown>;
    }, "the gateway accepts the new key once it has it").toPass({ timeout: 15_000 });
    // The sample backend echoes what reached it: the tenant context the
    // gateway added, and the host the caller asked for.
    expect(answer).toMatchObject({ method: "GET", path: "/echo/e2e", query: "step=1" });
    expect(answer.headers).toMatchObject({
      "X-Forwarded-Host": [app.hostname],
      "X-Aegis-App-Id": [appId],
      "X-Aegis-Key-Env": ["production"],
      "X-Aegis-Tenant-Id": [tenant],
    });

    const note = await callGateway(request, "/v1/notes", key, { text: "buy milk" });
    expect(note.status(), await note.text()).toBe(201);
    const notes = await callGateway(request, "/v1/notes", key);
    expect(await notes.json()).toMatchObject({ notes: [{ text: "buy milk" }] });
  });

  await test.step("revoke the key", async () => {
    await mainNav(page).getByRole("link", { name: "API keys" }).click();
    await expect(page).toHaveURL("/keys");
    await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
    const row = page.getByRole("row").filter({ hasText: "e2e" });
    await expect(row).toHaveCount(1);
    await look(page, "keys", { alsoNarrow: true });

    await row.getByRole("button", { name: "Revoke e2e" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Revoke “e2e”?" });
    await expect(confirm).toBeVisible();
    await look(page, "key-revoke-confirm");
    await confirm.getByRole("button", { name: "Revoke key" }).click();

    const done = page.getByRole("dialog", { name: "“e2e” is revoked" });
    await expect(done).toBeVisible();
    await look(page, "key-revoked");
    await done.getByRole("button", { name: "Done" }).click();
    await expect(page.getByRole("dialog")).toBeHidden();
    await expect(row.getByText("Revoked")).toBeVisible();
    await look(page, "keys-after-revoke");
  });

  await test.step("the gateway refuses the revoked key", async () => {
    await expect(async () => {
      const res = await callGateway(request, "/echo/e2e", key);
      expect(res.status()).toBe(401);
      expect(await res.json()).toMatchObject({ code: "unauthorized" });
    }, "the gateway refuses the key once it knows it is revoked").toPass({ timeout: 15_000 });
  });

  await test.step("log out", async () => {
    await page.getByRole("button", { name: /^Account: / }).click();
    await page.getByRole("menuitem", { name: "Log out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole("heading", { name: "Log in to Aegis" })).toBeVisible();
    await look(page, "logged-out");
    // The session is over: the dashboard asks who is signed in, gets a 401
    // (which the browser notes in the console) and sends the visitor to log in.
    consoleErrors.allow(/status of 401 .*\/api\/v1\/me:/);
    await page.goto("/apps");
    await expect(page).toHaveURL(/\/login\?next=/);
    await expect(page.getByRole("heading", { name: "Log in to Aegis" })).toBeVisible();
  });
});

/** mainNav is the navigation: the sidebar, wide; the Menu panel, narrow. */
function mainNav(page: Page) {
  return page.getByRole("navigation", { name: "Main" });
}

/** callGateway sends a request through the gateway to the app, which it
 * finds by the Host header, with the key in X-API-Key; with a body, as a
 * JSON POST. */
function callGateway(request: APIRequestContext, path: string, key: string, body?: unknown) {
  const headers = { Host: app.hostname, "X-API-Key": key };
  const url = `${gatewayURL}${path}`;
  return body === undefined ? request.get(url, { headers }) : request.post(url, { headers, data: body });
}
