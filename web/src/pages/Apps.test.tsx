import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { type Answer, fakeAPI, json, profile } from "../test/api";
import { renderAt } from "../test/render";
import { billingApp, shopApp } from "./apps/testData";

function signedIn(apps: Answer, role = "owner") {
  return fakeAPI({ "GET /api/v1/me": json(200, { ...profile, role }), "GET /api/v1/apps": apps });
}

describe("apps page", () => {
  it("says it is loading until the apps come", async () => {
    let answer: (response: Response) => void = () => {};
    signedIn(() => new Promise<Response>((resolve) => (answer = resolve)));
    renderAt("/apps");

    expect(await screen.findByText("Loading apps…")).toBeInTheDocument();
    answer(json(200, { apps: [shopApp] }));
    expect(await screen.findByRole("link", { name: "Shop API" })).toBeInTheDocument();
    expect(screen.queryByText("Loading apps…")).not.toBeInTheDocument();
  });

  it("lists each app with its routes, authentication, status and upstreams", async () => {
    signedIn(json(200, { apps: [shopApp, billingApp] }));
    renderAt("/apps");

    const shop = (await screen.findByRole("link", { name: "Shop API" })).closest("tr");
    expect(shop).not.toBeNull();
    const row = within(shop as HTMLElement);
    expect(screen.getByRole("link", { name: "Shop API" })).toHaveAttribute("href", `/apps/${shopApp.app_id}`);
    expect(row.getByText("shop")).toBeInTheDocument();
    expect(row.getByText("api.acme.example/v1")).toBeInTheDocument();
    expect(row.getByText("API keys")).toBeInTheDocument();
    expect(row.getByText("Active")).toBeInTheDocument();
    expect(row.getByText("2 upstreams")).toBeInTheDocument();

    const billing = within(screen.getByRole("link", { name: "Billing" }).closest("tr") as HTMLElement);
    expect(billing.getByText("billing.acme.example")).toBeInTheDocument();
    expect(billing.getByText("pay.acme.example")).toBeInTheDocument();
    expect(billing.getByText("JWTs")).toBeInTheDocument();
    expect(billing.getByText("Suspended")).toBeInTheDocument();
    expect(billing.getByText("1 upstream")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "New app" })).toHaveAttribute("href", "/apps/new");
  });

  it("asks for the first app when there is none", async () => {
    signedIn(json(200, { apps: null }));
    renderAt("/apps");

    expect(await screen.findByText("No apps yet")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Create your first app" })).toHaveAttribute("href", "/apps/new");
  });

  it("offers no new app to a viewer", async () => {
    signedIn(json(200, { apps: [] }), "viewer");
    renderAt("/apps");

    expect(await screen.findByText("No apps yet")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Create your first app" })).toBeNull();
    expect(screen.queryByRole("link", { name: "New app" })).toBeNull();
  });

  it("shows the API's message and tries again", async () => {
    const fake = signedIn(
      json(503, {
        code: "unavailable",
        message: "the read model is at revision 7 and has not reached revision 9 yet; retry shortly",
      }),
    );
    const { user } = renderAt("/apps");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load your apps");
    expect(alert).toHaveTextContent("has not reached revision 9 yet");
    fake.on("GET /api/v1/apps", json(200, { apps: [shopApp] }));
    await user.click(within(alert).getByRole("button", { name: "Try again" }));

    expect(await screen.findByRole("link", { name: "Shop API" })).toBeInTheDocument();
  });
});
