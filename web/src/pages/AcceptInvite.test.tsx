import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json, profile } from "../test/api";
import { location, renderAt } from "../test/render";

const token = "01a21ac3-0072-770b.01a21ac3-7d62-7394.01a21ac3-7d62-7396.9vpGytfQ5ufAZTsK";

describe("accept invitation page", () => {
  it("says so when the link has no token", () => {
    fakeAPI();
    renderAt("/accept-invite");

    expect(screen.getByRole("alert")).toHaveTextContent("This link is incomplete");
  });

  it("asks for a password of the API's length and sends nothing", async () => {
    const fake = fakeAPI();
    const { user } = renderAt(`/accept-invite?token=${token}`);

    await user.click(screen.getByRole("button", { name: "Join the team" }));

    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(/Choose a password\./);
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(/not one of the 10,000 most common passwords/);
    expect(fake.sent).toHaveLength(0);
  });

  it("shows the API's message when it refuses", async () => {
    fakeAPI({
      "POST /api/v1/invitations/accept": apiError(400, "invalid", "this invitation link is invalid, expired or already used"),
    });
    const { user } = renderAt(`/accept-invite?token=${token}`);

    await user.type(screen.getByLabelText("Password"), "another fine passphrase");
    await user.click(screen.getByRole("button", { name: "Join the team" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("this invitation link is invalid, expired or already used");
  });

  it("joins, and the login that follows waits for the new member", async () => {
    const fake = fakeAPI({
      "POST /api/v1/invitations/accept": json(200, { revision: 25, member_id: "m" }),
      "POST /api/v1/auth/login": json(200, {
        revision: 26,
        session_id: "s",
        member_id: "m",
        customer_id: "c",
        role: "developer",
        csrf_token: "x",
      }),
      "GET /api/v1/me": json(200, { ...profile, email: "grace@example.com", role: "developer" }),
    });
    const { user, router } = renderAt(`/accept-invite?token=${token}`);

    await user.type(screen.getByLabelText("Password"), "another fine passphrase");
    await user.click(screen.getByRole("button", { name: "Join the team" }));
    expect(fake.to("POST /api/v1/invitations/accept")[0]?.body).toEqual({ token, password: "another fine passphrase" });

    await user.click(await screen.findByRole("link", { name: "Log in" }));
    await user.type(await screen.findByLabelText("Email"), "grace@example.com");
    await user.type(screen.getByLabelText("Password"), "another fine passphrase");
    await user.click(screen.getByRole("button", { name: "Log in" }));

    await waitFor(() => expect(location(router)).toBe("/"));
    expect(fake.to("POST /api/v1/auth/login")[0]?.headers.get("Aegis-Min-Revision")).toBe("25");
  });
});
