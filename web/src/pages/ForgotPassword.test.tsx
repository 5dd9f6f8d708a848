import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json } from "../test/api";
import { renderAt } from "../test/render";

const neutral = "If a verified account uses this email, a link to reset its password is on its way.";

describe("forgot password page", () => {
  it("asks for an email address and sends nothing without one", async () => {
    const fake = fakeAPI();
    const { user } = renderAt("/forgot-password");

    await user.click(screen.getByRole("button", { name: "Send reset link" }));

    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription("Enter your email address.");
    expect(fake.sent).toHaveLength(0);
  });

  it("shows the API's answer, the same for every address", async () => {
    const fake = fakeAPI({ "POST /api/v1/auth/password-reset": json(202, { revision: 0, message: neutral }) });
    const { user } = renderAt("/forgot-password");

    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));

    expect(await screen.findByRole("status")).toHaveTextContent(neutral);
    expect(fake.to("POST /api/v1/auth/password-reset")[0]?.body).toEqual({ email: "ada@example.com" });
    expect(screen.getByRole("link", { name: "Back to login" })).toHaveAttribute("href", "/login");
  });

  it("shows the API's message when it refuses", async () => {
    fakeAPI({
      "POST /api/v1/auth/password-reset": apiError(429, "rate_limited", "too many attempts; wait a minute and try again"),
    });
    const { user } = renderAt("/forgot-password");

    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("too many attempts; wait a minute and try again");
  });
});
