import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json, profile } from "../test/api";
import { renderAt } from "../test/render";

const summary = {
  apps: { total: 2, active: 1 },
  keys: { development: 0, production: 3, staging: 1 },
  members: 4,
  revision: 30,
};
const members = {
  members: [
    {
      member_id: profile.member_id,
      email: "ada@example.com",
      role: "owner",
      status: "active",
      email_verified: true,
      created_at: "2026-11-27T01:58:49Z",
    },
  ],
};
const invited = {
  revision: 9,
  id: "01a21b24-5991-771d-8264-b279860dd8b4",
  type: "member.invited",
  aggregate: "member",
  aggregate_id: "01a21b24-5991-771a-8c5e-9b112633d008",
  actor: { kind: "member", id: profile.member_id },
  occurred_at: "2026-11-27T03:54:56.785877Z",
  payload: { email: "grace@example.com", role: "developer" },
};

function card(name: RegExp): HTMLElement {
  return within(screen.getByRole("list", { name: "Summary" })).getByRole("link", { name });
}

describe("home page", () => {
  it("shows the account's figures, each linking to its page, and the recent events", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/dashboard": json(200, summary),
      "GET /api/v1/members": json(200, members),
      "GET /api/v1/audit": json(200, { events: [invited], next_cursor: "9" }),
    });
    renderAt("/");

    expect(await screen.findByRole("list", { name: "Summary" })).toBeInTheDocument();
    expect(card(/^Apps/)).toHaveAttribute("href", "/apps");
    expect(card(/^Apps/)).toHaveTextContent("2");
    expect(card(/^Apps/)).toHaveTextContent("1 active");
    expect(card(/^Active API keys/)).toHaveAttribute("href", "/keys");
    expect(card(/^Active API keys/)).toHaveTextContent("4Production 3Staging 1Development 0");
    expect(card(/^Members/)).toHaveAttribute("href", "/members");
    expect(card(/^Members/)).toHaveTextContent("4");
    expect(screen.queryByRole("heading", { name: "First steps" })).not.toBeInTheDocument();

    const recent = await screen.findByRole("list", { name: "Recent events" });
    expect(recent).toHaveTextContent("grace@example.com invited as Developer by You");
    expect(screen.getByRole("link", { name: "View the audit log" })).toHaveAttribute("href", "/audit");
    expect(fake.to("GET /api/v1/audit")[0]?.search).toBe("?limit=5");
  });

  it("shows the first steps while there are no apps", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/dashboard": json(200, { ...summary, apps: { total: 0, active: 0 } }),
      "GET /api/v1/members": json(200, members),
      "GET /api/v1/audit": json(200, { events: [] }),
    });
    renderAt("/");

    const steps = await screen.findByRole("region", { name: "First steps" });
    expect(within(steps).getByRole("link", { name: "Create an app" })).toHaveAttribute("href", "/apps/new");
    expect(within(steps).getByRole("link", { name: "Issue an API key" })).toHaveAttribute("href", "/keys");
    expect(within(steps).getByRole("link", { name: "Invite your team" })).toHaveAttribute("href", "/members");
    expect(within(steps).getByRole("link", { name: "Create an access token" })).toHaveAttribute("href", "/settings/tokens");
    expect(await screen.findByText("Nothing has happened yet.")).toBeInTheDocument();
  });

  it("tells a viewer who can take the steps they cannot", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, { ...profile, role: "viewer" }),
      "GET /api/v1/dashboard": json(200, { ...summary, apps: { total: 0, active: 0 } }),
      "GET /api/v1/members": json(200, members),
      "GET /api/v1/audit": json(200, { events: [] }),
    });
    renderAt("/");

    const steps = await screen.findByRole("region", { name: "First steps" });
    expect(within(steps).queryByRole("link", { name: "Create an app" })).not.toBeInTheDocument();
    expect(steps).toHaveTextContent("Developers, admins and owners can.");
  });

  it("shows the API's message when the figures cannot be read, and tries again", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/dashboard": apiError(503, "unavailable", "the read model is at revision 7 and has not reached revision 9 yet; retry shortly"),
      "GET /api/v1/members": json(200, members),
      "GET /api/v1/audit": json(200, { events: [] }),
    });
    const { user } = renderAt("/");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load your account's figures");
    expect(alert).toHaveTextContent("has not reached revision 9 yet");
    fake.on("GET /api/v1/dashboard", json(200, summary));
    await user.click(within(alert).getByRole("button", { name: "Try again" }));

    expect(await screen.findByRole("list", { name: "Summary" })).toBeInTheDocument();
  });
});
