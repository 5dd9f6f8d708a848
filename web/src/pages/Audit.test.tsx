import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json, profile, type Sent } from "../test/api";
import { location, renderAt } from "../test/render";

const grace = {
  member_id: "01a21ac3-7d62-7394-ac80-8ae09bf23578",
  email: "grace@example.com",
  role: "developer",
  status: "active",
  email_verified: true,
  created_at: "2026-11-27T02:09:08.96261Z",
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
    grace,
  ],
};

function event(revision: number, type: string, payload: unknown, actor = { kind: "member", id: profile.member_id }) {
  return {
    revision,
    id: `01a21ab4-4d11-7404-b745-${String(revision).padStart(12, "0")}`,
    type,
    aggregate: type.split(".")[0],
    aggregate_id: grace.member_id,
    actor,
    occurred_at: `2026-11-27T01:52:${String(revision % 60).padStart(2, "0")}Z`,
    payload,
  };
}

const invited = event(9, "member.invited", { email: "grace@example.com", role: "developer", invited_by: profile.member_id });
const roleChanged = event(10, "member.role_changed", { role: "admin", previous: "developer" });
const tokenCreated = event(7, "member.token_created", { name: "CI deploys", prefix: "aegp_RTTSDmk" }, {
  kind: "token",
  id: "01a21ab4-4d11-7402-a262-e2a673838afa",
});

function query(sent: Sent | undefined): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(sent?.search ?? ""));
}

describe("audit log page", () => {
  it("lists events with when, what, who and on what", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, members),
      "GET /api/v1/audit": json(200, { events: [roleChanged, invited, tokenCreated] }),
    });
    renderAt("/audit");

    const list = await screen.findByRole("list", { name: "Events" });
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent("Role changed from Developer to Admin");
    expect(items[0]).toHaveTextContent("member.role_changed");
    expect(items[0]).toHaveTextContent("by You");
    expect(items[0]).toHaveTextContent("on Member grace@example.com");
    expect(items[1]).toHaveTextContent("grace@example.com invited as Developer");
    expect(items[2]).toHaveTextContent("Access token “CI deploys” created");
    expect(items[2]).toHaveTextContent("by An access token");
    expect(items[0]?.querySelector("time")).toHaveAttribute("dateTime", roleChanged.occurred_at);
    expect(screen.getByText("3 events shown, the oldest included")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Load more events" })).not.toBeInTheDocument();
  });

  it("shows an event's details on request", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, members),
      "GET /api/v1/audit": json(200, { events: [invited] }),
    });
    const { user } = renderAt("/audit");

    const toggle = await screen.findByRole("button", { name: /^Details: grace@example.com invited as Developer/ });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await user.click(toggle);

    expect(toggle).toHaveAttribute("aria-expanded", "true");
    const details = document.getElementById(toggle.getAttribute("aria-controls") ?? "");
    expect(details).toBeVisible();
    expect(details).toHaveTextContent(invited.id);
    expect(details).toHaveTextContent('"invited_by":');
    expect(details).toHaveTextContent(grace.member_id);

    await user.click(screen.getByRole("button", { name: /^Hide details/ }));
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(details).not.toBeVisible();
  });

  it("sends the filters to the API and keeps them in the address", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, members),
      "GET /api/v1/audit": json(200, { events: [roleChanged, invited] }),
    });
    const { user, router } = renderAt("/audit");
    await screen.findByRole("list", { name: "Events" });
    fake.on("GET /api/v1/audit", json(200, { events: [invited] }));

    const form = screen.getByRole("form", { name: "Filter events" });
    await user.type(within(form).getByLabelText("Event type"), "member.invited");
    await user.selectOptions(within(form).getByLabelText("Actor"), "ada@example.com");
    await user.selectOptions(within(form).getByLabelText("Resource kind"), "Member");
    await user.type(within(form).getByLabelText("Resource id"), grace.member_id);
    await user.type(within(form).getByLabelText("From"), "2026-11-01T00:00");
    await user.type(within(form).getByLabelText("Until"), "2026-12-01T00:00");
    await user.click(within(form).getByRole("button", { name: "Apply filters" }));

    await waitFor(() => expect(within(screen.getByRole("list", { name: "Events" })).getAllByRole("listitem")).toHaveLength(1));
    const since = new Date(2026, 10, 1).toISOString();
    const until = new Date(2026, 11, 1).toISOString();
    expect(query(fake.to("GET /api/v1/audit").at(-1))).toEqual({
      type: "member.invited",
      aggregate: "member",
      aggregate_id: grace.member_id,
      actor: profile.member_id,
      since,
      until,
      limit: "50",
    });
    expect(new URLSearchParams(location(router).split("?")[1])).toEqual(
      new URLSearchParams({ type: "member.invited", aggregate: "member", aggregate_id: grace.member_id, actor: profile.member_id, since, until }),
    );
  });

  it("reads the filters from the address, and clears them", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, members),
      "GET /api/v1/audit": json(200, { events: [] }),
    });
    const { user, router } = renderAt("/audit?type=app.deleted&aggregate=app");

    expect(await screen.findByText("No events match these filters")).toBeInTheDocument();
    expect(screen.getByLabelText("Event type")).toHaveValue("app.deleted");
    expect(screen.getByLabelText("Resource kind")).toHaveValue("app");
    expect(query(fake.to("GET /api/v1/audit")[0])).toEqual({ type: "app.deleted", aggregate: "app", limit: "50" });
    fake.on("GET /api/v1/audit", json(200, { events: [invited] }));

    await user.click(screen.getAllByRole("button", { name: "Clear filters" })[0]!);

    expect(await screen.findByRole("list", { name: "Events" })).toBeInTheDocument();
    expect(location(router)).toBe("/audit");
    expect(screen.getByLabelText("Event type")).toHaveValue("");
    expect(query(fake.to("GET /api/v1/audit").at(-1))).toEqual({ limit: "50" });
  });

  it("asks for an end after the start, and sends nothing", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, members),
      "GET /api/v1/audit": json(200, { events: [invited] }),
    });
    const { user } = renderAt("/audit");
    await screen.findByRole("list", { name: "Events" });

    await user.type(screen.getByLabelText("From"), "2026-12-01T00:00");
    await user.type(screen.getByLabelText("Until"), "2026-11-01T00:00");
    await user.click(screen.getByRole("button", { name: "Apply filters" }));

    expect(screen.getByLabelText("Until")).toHaveAccessibleDescription("Choose an end after the start.");
    expect(fake.to("GET /api/v1/audit")).toHaveLength(1);
  });

  it("filters by an event's actor from its details", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, members),
      "GET /api/v1/audit": json(200, { events: [tokenCreated] }),
    });
    const { user, router } = renderAt("/audit");

    await user.click(await screen.findByRole("button", { name: /^Details/ }));
    await user.click(screen.getByRole("button", { name: "Only this actor's events" }));

    await waitFor(() => expect(location(router)).toBe(`/audit?actor=${tokenCreated.actor.id}`));
    expect(screen.getByLabelText("Actor")).toHaveValue(tokenCreated.actor.id);
    await waitFor(() => expect(query(fake.to("GET /api/v1/audit").at(-1))).toEqual({ actor: tokenCreated.actor.id, limit: "50" }));
  });

  it("loads the next page with the API's cursor and the same filters", async () => {
    const first = Array.from({ length: 50 }, (_, i) => event(200 - i, "member.logged_in", { session_id: `s${i}` }));
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, members),
      "GET /api/v1/audit": (sent) =>
        new URLSearchParams(sent.search).get("cursor") === "151"
          ? json(200, { events: [invited] })
          : json(200, { events: first, next_cursor: "151" }),
    });
    const { user } = renderAt("/audit?type=member.logged_in");

    await user.click(await screen.findByRole("button", { name: "Load more events" }));

    expect(await screen.findByText("51 events shown, the oldest included")).toBeInTheDocument();
    expect(within(screen.getByRole("list", { name: "Events" })).getAllByRole("listitem")).toHaveLength(51);
    expect(query(fake.to("GET /api/v1/audit")[1])).toEqual({ type: "member.logged_in", cursor: "151", limit: "50" });
    expect(screen.queryByRole("button", { name: "Load more events" })).not.toBeInTheDocument();
  });

  it("shows the API's message when it refuses a filter", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, members),
      "GET /api/v1/audit": apiError(
        400,
        "invalid",
        "validation failed: query.since: invalid date/time for format 2006-01-02T15:04:05.999999999Z07:00",
      ),
    });
    renderAt("/audit?since=yesterday");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load the audit log");
    expect(alert).toHaveTextContent("query.since: invalid date/time");
  });

  it("says when there are no events at all", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, members),
      "GET /api/v1/audit": json(200, { events: null }),
    });
    renderAt("/audit");

    expect(await screen.findByText("No events yet")).toBeInTheDocument();
  });
});
