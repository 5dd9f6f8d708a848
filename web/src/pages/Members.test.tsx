import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json, profile } from "../test/api";
import { renderAt } from "../test/render";

const ada = {
  member_id: profile.member_id,
  email: "ada@example.com",
  role: "owner",
  status: "active",
  email_verified: true,
  created_at: "2026-11-27T02:08:37.02155Z",
};
const grace = {
  member_id: "01a21ac3-7d62-7394-ac80-8ae09bf23578",
  email: "grace@example.com",
  role: "developer",
  status: "invited",
  email_verified: false,
  created_at: "2026-11-27T02:09:08.96261Z",
};
const linus = {
  member_id: "01a21ac3-9a10-7000-8000-000000000001",
  email: "linus@example.com",
  role: "owner",
  status: "active",
  email_verified: true,
  created_at: "2026-11-27T02:10:00Z",
};

function row(email: string): HTMLElement {
  const item = within(screen.getByRole("list", { name: "Members" })).getByText(email).closest("li");
  if (!item) {
    throw new Error(`no row for ${email}`);
  }
  return item;
}

describe("members page", () => {
  it("lists members with their role and status", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, { members: [ada, grace] }),
    });
    renderAt("/members");

    const list = await screen.findByRole("list", { name: "Members" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(2);
    expect(row("ada@example.com")).toHaveTextContent("You");
    expect(row("ada@example.com")).toHaveTextContent("Active");
    expect(row("grace@example.com")).toHaveTextContent("Invited");
    expect(row("grace@example.com")).toHaveTextContent("Developer");
    // Nobody changes their own role or removes themselves here.
    expect(within(row("ada@example.com")).queryByRole("button")).not.toBeInTheDocument();
  });

  it("shows the API's message when the list cannot be read", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": apiError(503, "unavailable", "the read model is at revision 7 and has not reached revision 9 yet; retry shortly"),
    });
    renderAt("/members");

    expect(await screen.findByRole("alert")).toHaveTextContent("has not reached revision 9 yet");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  it("invites a member, and lists the invitation at once", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, { members: [ada] }),
      "POST /api/v1/members": json(201, { revision: 23, member_id: grace.member_id }),
    });
    const { user } = renderAt("/members");
    await screen.findByText("ada@example.com");
    fake.on("GET /api/v1/members", json(200, { members: [ada, grace] }));

    await user.click(screen.getByRole("button", { name: "Invite member" }));
    const dialog = await screen.findByRole("dialog", { name: "Invite a member" });
    await user.type(within(dialog).getByLabelText("Email"), " grace@example.com ");
    await user.selectOptions(within(dialog).getByLabelText("Role"), "admin");
    await user.click(within(dialog).getByRole("button", { name: "Send invitation" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(screen.getByText("grace@example.com")).toBeInTheDocument();
    expect(await screen.findByText("Invitation sent to grace@example.com")).toBeInTheDocument();
    const [invite] = fake.to("POST /api/v1/members");
    expect(invite?.body).toEqual({ email: "grace@example.com", role: "admin" });
    expect(invite?.headers.get("Idempotency-Key")).toBeTruthy();
    expect(fake.to("GET /api/v1/members").at(-1)?.headers.get("Aegis-Min-Revision")).toBe("23");
  });

  it("checks the address before sending", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, { members: [ada] }),
    });
    const { user } = renderAt("/members");

    await user.click(await screen.findByRole("button", { name: "Invite member" }));
    const dialog = await screen.findByRole("dialog", { name: "Invite a member" });
    await user.click(within(dialog).getByRole("button", { name: "Send invitation" }));

    expect(within(dialog).getByLabelText("Email")).toHaveAccessibleDescription("Enter their email address.");
    expect(fake.to("POST /api/v1/members")).toHaveLength(0);
  });

  it("shows the API's message when the invitation is refused, and keeps the dialog open", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, { members: [ada] }),
      "POST /api/v1/members": apiError(409, "conflict", "grace@example.com already has an account or an invitation"),
    });
    const { user } = renderAt("/members");

    await user.click(await screen.findByRole("button", { name: "Invite member" }));
    const dialog = await screen.findByRole("dialog", { name: "Invite a member" });
    await user.type(within(dialog).getByLabelText("Email"), "grace@example.com");
    await user.click(within(dialog).getByRole("button", { name: "Send invitation" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent(
      "grace@example.com already has an account or an invitation",
    );
    expect(within(dialog).getByLabelText("Email")).toHaveValue("grace@example.com");
  });

  it("offers the owner role only to an owner", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, { ...profile, role: "admin" }),
      "GET /api/v1/members": json(200, { members: [{ ...ada, role: "admin" }, grace, linus] }),
    });
    const { user } = renderAt("/members");

    await user.click(await screen.findByRole("button", { name: "Invite member" }));
    const dialog = await screen.findByRole("dialog", { name: "Invite a member" });
    const options = within(within(dialog).getByLabelText("Role")).getAllByRole("option");
    expect(options.map((option) => option.textContent)).toEqual(["Admin", "Developer", "Viewer"]);
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));

    // An admin does not touch an owner.
    expect(within(row("linus@example.com")).queryByRole("button")).not.toBeInTheDocument();
    expect(within(row("grace@example.com")).getByRole("button", { name: "Change role of grace@example.com" })).toBeInTheDocument();
  });

  it("shows a viewer the list without the buttons that would change it", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, { ...profile, role: "viewer" }),
      "GET /api/v1/members": json(200, { members: [{ ...ada, role: "viewer" }, grace, linus] }),
    });
    renderAt("/members");

    await screen.findByText("grace@example.com");
    expect(screen.queryByRole("button", { name: "Invite member" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Change role|Remove|Withdraw/ })).not.toBeInTheDocument();
    expect(screen.getByText(/only admins and owners invite members/)).toBeInTheDocument();
  });

  it("changes a member's role", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, { members: [ada, grace] }),
    });
    fake.on(`PATCH /api/v1/members/${grace.member_id}`, json(200, { revision: 27 }));
    const { user } = renderAt("/members");
    await screen.findByText("grace@example.com");
    fake.on("GET /api/v1/members", json(200, { members: [ada, { ...grace, role: "admin" }] }));

    await user.click(screen.getByRole("button", { name: "Change role of grace@example.com" }));
    const dialog = await screen.findByRole("dialog", { name: "Change role" });
    expect(within(dialog).getByLabelText("Role")).toHaveValue("developer");
    await user.selectOptions(within(dialog).getByLabelText("Role"), "admin");
    await user.click(within(dialog).getByRole("button", { name: "Save role" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(row("grace@example.com")).toHaveTextContent("Admin");
    expect(fake.to(`PATCH /api/v1/members/${grace.member_id}`)[0]?.body).toEqual({ role: "admin" });
    expect(await screen.findByText("grace@example.com is now Admin")).toBeInTheDocument();
  });

  it("shows the API's 403 when a role change is refused", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, { members: [ada, grace] }),
    });
    fake.on(
      `PATCH /api/v1/members/${grace.member_id}`,
      apiError(403, "forbidden", "this needs the admin role or higher; you are developer"),
    );
    const { user } = renderAt("/members");

    await user.click(await screen.findByRole("button", { name: "Change role of grace@example.com" }));
    const dialog = await screen.findByRole("dialog", { name: "Change role" });
    await user.selectOptions(within(dialog).getByLabelText("Role"), "viewer");
    await user.click(within(dialog).getByRole("button", { name: "Save role" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent(
      "this needs the admin role or higher; you are developer",
    );
  });

  it("removes a member after asking", async () => {
    const active = { ...grace, status: "active", email_verified: true };
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, { members: [ada, active] }),
    });
    fake.on(`DELETE /api/v1/members/${grace.member_id}`, json(200, { revision: 28 }));
    const { user } = renderAt("/members");
    await screen.findByText("grace@example.com");

    await user.click(screen.getByRole("button", { name: "Remove grace@example.com" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Remove grace@example.com?" });
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(fake.to(`DELETE /api/v1/members/${grace.member_id}`)).toHaveLength(0);

    fake.on("GET /api/v1/members", json(200, { members: [ada] }));
    await user.click(screen.getByRole("button", { name: "Remove grace@example.com" }));
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Remove member" }));

    await waitFor(() => expect(within(screen.getByRole("list", { name: "Members" })).getAllByRole("listitem")).toHaveLength(1));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(fake.to(`DELETE /api/v1/members/${grace.member_id}`)).toHaveLength(1);
    expect(fake.to("GET /api/v1/members").at(-1)?.headers.get("Aegis-Min-Revision")).toBe("28");
  });

  it("withdraws an invitation, and shows the API's message if it refuses", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/members": json(200, { members: [ada, grace] }),
    });
    fake.on(`DELETE /api/v1/members/${grace.member_id}`, apiError(404, "not_found", "member not found"));
    const { user } = renderAt("/members");

    await user.click(await screen.findByRole("button", { name: "Withdraw invitation to grace@example.com" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Withdraw the invitation to grace@example.com?" });
    await user.click(within(dialog).getByRole("button", { name: "Withdraw invitation" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("member not found");
  });
});
