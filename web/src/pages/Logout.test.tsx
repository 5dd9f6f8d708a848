import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json, profile, signedOut } from "../test/api";
import { location, renderAt } from "../test/render";

describe("logout page", () => {
  it("ends the session and goes to the login page", async () => {
    document.cookie = "aegis_csrf=4s_pLIeY-TGJSb22";
    const fake = fakeAPI({ "GET /api/v1/me": json(200, profile), "POST /api/v1/auth/logout": json(200, { revision: 8 }) });
    const { user, router } = renderAt("/");
    await user.click(await screen.findByRole("button", { name: "Account: ada@example.com" }));
    fake.on("GET /api/v1/me", signedOut());

    await user.click(await screen.findByRole("menuitem", { name: "Log out" }));

    await waitFor(() => expect(location(router)).toBe("/login"));
    const [logout] = fake.to("POST /api/v1/auth/logout");
    expect(logout?.headers.get("X-CSRF-Token")).toBe("4s_pLIeY-TGJSb22");
    expect(fake.to("POST /api/v1/auth/logout")).toHaveLength(1);
  });

  it("goes to the login page when the session had ended already", async () => {
    fakeAPI({ "POST /api/v1/auth/logout": apiError(401, "unauthorized", "session is invalid or expired") });
    const { router } = renderAt("/logout");

    await waitFor(() => expect(location(router)).toBe("/login"));
  });

  it("says so, and stays, when the session may still be open", async () => {
    const fake = fakeAPI({ "POST /api/v1/auth/logout": apiError(503, "unavailable", "the event log is unavailable") });
    const { user, router } = renderAt("/logout");

    expect(await screen.findByRole("alert")).toHaveTextContent("the event log is unavailable");
    fake.on("POST /api/v1/auth/logout", json(200, { revision: 8 }));
    await user.click(screen.getByRole("button", { name: "Try again" }));

    await waitFor(() => expect(location(router)).toBe("/login"));
  });
});
