import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeAPI, json, profile, signedOut } from "../test/api";
import { location, renderAt } from "../test/render";

describe("sign-in guard", () => {
  it("sends a visitor who is not signed in to login, keeping where they were going", async () => {
    fakeAPI({ "GET /api/v1/me": signedOut() });
    const { router } = renderAt("/members?role=admin");

    expect(await screen.findByRole("heading", { name: "Log in to Aegis" })).toBeInTheDocument();
    expect(location(router)).toBe("/login?next=%2Fmembers%3Frole%3Dadmin");
  });

  it("shows the API's message and tries again when it cannot tell who is signed in", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(503, {
        code: "unavailable",
        message: "the read model is at revision 7 and has not reached revision 9 yet; retry shortly",
      }),
    });
    const { user } = renderAt("/");

    expect(await screen.findByRole("alert")).toHaveTextContent("has not reached revision 9 yet; retry shortly");
    fake.on("GET /api/v1/me", json(200, profile));
    await user.click(screen.getByRole("button", { name: "Try again" }));

    expect(await screen.findByRole("heading", { name: "Overview" })).toBeInTheDocument();
  });
});

describe("app shell", () => {
  it("shows the customer's name, the navigation and the page", async () => {
    fakeAPI({ "GET /api/v1/me": json(200, profile) });
    renderAt("/keys");

    expect(await screen.findByRole("heading", { name: "API keys" })).toBeInTheDocument();
    expect(screen.getByText("Acme")).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).getByRole("link", { name: "API keys" })).toHaveAttribute("aria-current", "page");
    expect(within(nav).getByRole("link", { name: "Overview" })).not.toHaveAttribute("aria-current");
    expect(document.title).toBe("API keys · Aegis");
  });

  it("has an account menu with the member, their settings and logging out", async () => {
    fakeAPI({ "GET /api/v1/me": json(200, profile) });
    const { user } = renderAt("/");

    await user.click(await screen.findByRole("button", { name: "Account: ada@example.com" }));

    const menu = await screen.findByRole("menu");
    expect(within(menu).getByText("Acme · owner")).toBeInTheDocument();
    expect(within(menu).getByRole("menuitem", { name: "Access tokens" })).toHaveAttribute("href", "/settings/tokens");
    expect(within(menu).getByRole("menuitem", { name: "Log out" })).toHaveAttribute("href", "/logout");
  });

  it("opens the navigation from the Menu button on narrow screens, and closes it on a link", async () => {
    fakeAPI({ "GET /api/v1/me": json(200, profile) });
    const { user, router } = renderAt("/");

    await user.click(await screen.findByRole("button", { name: "Menu" }));
    const dialog = await screen.findByRole("dialog", { name: "Menu" });
    await user.click(within(dialog).getByRole("link", { name: "Members" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(location(router)).toBe("/members");
    expect(screen.getByRole("heading", { name: "Members" })).toBeInTheDocument();
  });

  it.each([
    ["/", "Overview"],
    ["/apps", "Apps"],
    ["/apps/new", "New app"],
    ["/apps/01a21ac3-3224-767b-8767-2263249161d7", "App"],
    ["/keys", "API keys"],
    ["/members", "Members"],
    ["/audit", "Audit log"],
    ["/settings/notifications", "Notifications"],
    ["/settings/tokens", "Access tokens"],
  ])("has a page at %s", async (path, heading) => {
    fakeAPI({ "GET /api/v1/me": json(200, profile) });
    renderAt(path);

    expect(await screen.findByRole("heading", { level: 1, name: heading })).toBeInTheDocument();
  });
});
