import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json } from "../test/api";
import { renderAt } from "../test/render";

const registered = {
  revision: 4,
  customer_id: "01a21aba-097a-741e-ab86-e837edd53196",
  member_id: "01a21aba-097a-741f-a980-f96a591a5cc7",
};

async function fillIn(user: ReturnType<typeof renderAt>["user"], password = "correct horse battery staple") {
  await user.type(screen.getByLabelText("Company name"), "Acme");
  await user.type(screen.getByLabelText("Work email"), "ada@example.com");
  await user.type(screen.getByLabelText("Password"), password);
}

describe("register page", () => {
  it("says what each empty field needs and sends nothing", async () => {
    const fake = fakeAPI();
    const { user } = renderAt("/register");

    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(screen.getByText("Enter your company's name.")).toBeInTheDocument();
    expect(screen.getByText("Enter your email address.")).toBeInTheDocument();
    expect(screen.getByText("Choose a password.")).toBeInTheDocument();
    expect(fake.sent).toHaveLength(0);
  });

  it("clears a field's message as it is corrected", async () => {
    fakeAPI();
    const { user } = renderAt("/register");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    await user.type(screen.getByLabelText("Company name"), "Acme");

    expect(screen.queryByText("Enter your company's name.")).not.toBeInTheDocument();
    expect(screen.getByText("Enter your email address.")).toBeInTheDocument();
  });

  it("shows the API's password rules and checks the length itself", async () => {
    const fake = fakeAPI();
    const { user } = renderAt("/register");
    const password = screen.getByLabelText("Password");
    expect(password).toHaveAccessibleDescription(/10 to 128 characters/);
    expect(password).toHaveAccessibleDescription(/10,000 most common passwords/);

    await fillIn(user, "short");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(password).toHaveAccessibleDescription(/Use at least 10 characters\./);
    expect(fake.sent).toHaveLength(0);
  });

  it("shows the API's message when it refuses", async () => {
    fakeAPI({ "POST /api/v1/register": apiError(409, "conflict", "an account with this email already exists") });
    const { user } = renderAt("/register");

    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("an account with this email already exists");
    expect(screen.getByLabelText("Company name")).toHaveValue("Acme");
  });

  it("signs up, then says to check the inbox and can send the link again", async () => {
    const fake = fakeAPI({
      "POST /api/v1/register": json(201, registered),
      "POST /api/v1/verify/resend": json(202, { revision: 0 }),
    });
    const { user } = renderAt("/register");

    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByRole("heading", { name: "Check your inbox" })).toBeInTheDocument();
    expect(screen.getByText("ada@example.com")).toBeInTheDocument();
    const [register] = fake.to("POST /api/v1/register");
    expect(register?.body).toEqual({
      company_name: "Acme",
      email: "ada@example.com",
      password: "correct horse battery staple",
    });
    expect(register?.headers.get("Idempotency-Key")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Send the link again" }));

    expect(await screen.findByRole("status")).toHaveTextContent("a new link is on its way");
    expect(fake.to("POST /api/v1/verify/resend")[0]?.body).toEqual({ email: "ada@example.com" });
  });

  it("shows the API's message when sending the link again is refused", async () => {
    fakeAPI({
      "POST /api/v1/register": json(201, registered),
      "POST /api/v1/verify/resend": apiError(429, "rate_limited", "too many attempts; wait a minute and try again"),
    });
    const { user } = renderAt("/register");
    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Create account" }));

    await user.click(await screen.findByRole("button", { name: "Send the link again" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("too many attempts; wait a minute and try again");
  });
});
