import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json } from "../test/api";
import { renderAt } from "../test/render";

const token = "01a21aba-097a-741e.01a21aba-097a-741f.01a21aba-09af-71f1.lT9V73Eumk9gIvMT";

describe("reset password page", () => {
  it("says so when the link has no token", () => {
    fakeAPI();
    renderAt("/reset-password");

    expect(screen.getByRole("alert")).toHaveTextContent("This link is incomplete");
    expect(screen.getByRole("link", { name: "Ask for a new link" })).toHaveAttribute("href", "/forgot-password");
  });

  it("checks the new password's length and sends nothing", async () => {
    const fake = fakeAPI();
    const { user } = renderAt(`/reset-password?token=${encodeURIComponent(token)}`);

    await user.type(screen.getByLabelText("New password"), "too short");
    await user.click(screen.getByRole("button", { name: "Set new password" }));

    expect(screen.getByLabelText("New password")).toHaveAccessibleDescription(/Use at least 10 characters\./);
    expect(fake.sent).toHaveLength(0);
  });

  it("shows the API's message when it refuses", async () => {
    fakeAPI({
      "POST /api/v1/auth/password-reset/confirm": apiError(
        400,
        "invalid",
        "this password reset link is invalid, expired or already used",
      ),
    });
    const { user } = renderAt(`/reset-password?token=${encodeURIComponent(token)}`);

    await user.type(screen.getByLabelText("New password"), "a much better passphrase");
    await user.click(screen.getByRole("button", { name: "Set new password" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "this password reset link is invalid, expired or already used",
    );
  });

  it("sets the password with the link's token and leads to login", async () => {
    const fake = fakeAPI({ "POST /api/v1/auth/password-reset/confirm": json(200, { revision: 31 }) });
    const { user } = renderAt(`/reset-password?token=${encodeURIComponent(token)}`);

    await user.type(screen.getByLabelText("New password"), "a much better passphrase");
    await user.click(screen.getByRole("button", { name: "Set new password" }));

    expect(await screen.findByRole("heading", { name: "Your password is changed" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Log in" })).toHaveAttribute("href", "/login");
    expect(fake.to("POST /api/v1/auth/password-reset/confirm")[0]?.body).toEqual({
      token,
      password: "a much better passphrase",
    });
  });
});
