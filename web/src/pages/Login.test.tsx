import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json, profile, signedOut } from "../test/api";
import { location, renderAt } from "../test/render";

const loggedIn = {
  revision: 6,
  session_id: "01a21aba-0de7-734a-b9de-628473712cde",
  member_id: profile.member_id,
  customer_id: profile.customer_id,
  role: "owner",
  csrf_token: "4s_pLIeY-TGJSb22",
};

describe("login page", () => {
  it("says what is missing and sends nothing", async () => {
    const fake = fakeAPI();
    const { user } = renderAt("/login");

    await user.click(screen.getByRole("button", { name: "Log in" }));

    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription("Enter your email address.");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription("Enter your password.");
    expect(screen.getByLabelText("Email")).toBeInvalid();
    expect(fake.sent).toHaveLength(0);
  });

  it("asks for a whole email address", async () => {
    fakeAPI();
    const { user } = renderAt("/login");

    await user.type(screen.getByLabelText("Email"), "ada@example");
    await user.click(screen.getByRole("button", { name: "Log in" }));

    expect(screen.getByText("Enter an email address like name@example.com.")).toBeInTheDocument();
  });

  it("shows the API's message when the login is refused", async () => {
    fakeAPI({
      "POST /api/v1/auth/login": apiError(403, "forbidden", "verify your email address first: follow the link we sent you"),
    });
    const { user } = renderAt("/login");

    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "correct horse battery staple");
    await user.click(screen.getByRole("button", { name: "Log in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("verify your email address first: follow the link we sent you");
  });

  it("logs in and goes back where the visitor was going", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": signedOut(),
      "POST /api/v1/auth/login": json(200, loggedIn),
    });
    const { user, router } = renderAt("/apps/01a21ac3?tab=keys");
    await waitFor(() => expect(location(router)).toBe("/login?next=%2Fapps%2F01a21ac3%3Ftab%3Dkeys"));
    fake.on("GET /api/v1/me", json(200, profile));

    await user.type(await screen.findByLabelText("Email"), " ada@example.com ");
    await user.type(screen.getByLabelText("Password"), "correct horse battery staple");
    await user.click(screen.getByRole("button", { name: "Log in" }));

    await waitFor(() => expect(location(router)).toBe("/apps/01a21ac3?tab=keys"));
    expect(await screen.findByText("Acme")).toBeInTheDocument();
    expect(fake.to("POST /api/v1/auth/login")[0]?.body).toEqual({
      email: "ada@example.com",
      password: "correct horse battery staple",
    });
    expect(fake.to("GET /api/v1/me").at(-1)?.headers.get("Aegis-Min-Revision")).toBe("6");
  });

  it("goes home when next leads off the site", async () => {
    fakeAPI({ "POST /api/v1/auth/login": json(200, loggedIn), "GET /api/v1/me": json(200, profile) });
    const { user, router } = renderAt("/login?next=//evil.example/");

    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "correct horse battery staple");
    await user.click(screen.getByRole("button", { name: "Log in" }));

    await waitFor(() => expect(location(router)).toBe("/"));
  });

  it("shows the password when asked", async () => {
    fakeAPI();
    const { user } = renderAt("/login");
    await user.type(screen.getByLabelText("Password"), "secret");

    await user.click(screen.getByRole("button", { name: "Show password" }));

    expect(screen.getByLabelText("Password")).toHaveAttribute("type", "text");
    await user.click(screen.getByRole("button", { name: "Hide password" }));
    expect(screen.getByLabelText("Password")).toHaveAttribute("type", "password");
  });
});
