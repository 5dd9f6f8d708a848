import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json } from "../test/api";
import { renderAt } from "../test/render";

const token = "01a21aba-097a-741e.01a21aba-097a-741f.01a21aba-09af-71f1.lT9V73Eumk9gIvMT";

describe("verify email page", () => {
  it("sends nothing until the person confirms, so that a mail scanner uses nothing up", async () => {
    const fake = fakeAPI({ "POST /api/v1/verify": json(200, { revision: 5 }) });
    const { user } = renderAt(`/verify?token=${encodeURIComponent(token)}`);

    expect(await screen.findByRole("button", { name: "Verify my email address" })).toBeInTheDocument();
    expect(fake.sent).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Verify my email address" }));

    expect(await screen.findByRole("heading", { name: "Your email address is verified" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Log in" })).toHaveAttribute("href", "/login");
    expect(fake.to("POST /api/v1/verify")[0]?.body).toEqual({ token });
  });

  it("shows the API's message, and offers a new link", async () => {
    const fake = fakeAPI({
      "POST /api/v1/verify": apiError(400, "invalid", "this verification link is invalid, expired or already used"),
      "POST /api/v1/verify/resend": json(202, { revision: 0 }),
    });
    const { user } = renderAt(`/verify?token=${encodeURIComponent(token)}`);

    await user.click(screen.getByRole("button", { name: "Verify my email address" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("this verification link is invalid, expired or already used");
    await user.type(screen.getByLabelText("Your email address"), "ada@example.com");
    await user.click(screen.getByRole("button", { name: "Send a new link" }));
    expect(await screen.findByRole("status")).toHaveTextContent("a new link is on its way");
    expect(fake.to("POST /api/v1/verify/resend")[0]?.body).toEqual({ email: "ada@example.com" });
  });

  it("says so when the link has no token", () => {
    fakeAPI();
    renderAt("/verify");

    expect(screen.getByRole("alert")).toHaveTextContent("This link is incomplete");
  });
});
