import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json, profile } from "../test/api";
import { renderAt } from "../test/render";

const settings = {
  rules: [
    { event_type: "apikey.created", roles: ["admin", "owner"] },
    { event_type: "app.deleted", roles: ["owner"] },
  ],
};

function group(name: string): HTMLElement {
  return screen.getByRole("group", { name });
}

describe("notification settings page", () => {
  it("shows who each event emails", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/settings/notifications": json(200, settings),
    });
    renderAt("/settings/notifications");

    await screen.findByRole("group", { name: "An API key is created" });
    const created = group("An API key is created");
    expect(created).toHaveAccessibleDescription("apikey.created");
    expect(within(created).getByRole("checkbox", { name: "Owner" })).toBeChecked();
    expect(within(created).getByRole("checkbox", { name: "Admin" })).toBeChecked();
    expect(within(created).getByRole("checkbox", { name: "Developer" })).not.toBeChecked();
    expect(within(group("An app is deleted")).getByRole("checkbox", { name: "Owner" })).toBeChecked();
    expect(within(group("Someone joins")).getByRole("checkbox", { name: "Owner" })).not.toBeChecked();
  });

  it("saves the whole settings, and keeps rules it does not list", async () => {
    const kept = { event_type: "app.archived", roles: ["owner"] };
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/settings/notifications": json(200, { rules: [...settings.rules, kept] }),
      "PUT /api/v1/settings/notifications": json(200, { revision: 30 }),
    });
    const { user } = renderAt("/settings/notifications");
    await screen.findByRole("group", { name: "Someone joins" });

    await user.click(within(group("Someone joins")).getByRole("checkbox", { name: "Admin" }));
    await user.click(within(group("An app is deleted")).getByRole("checkbox", { name: "Owner" }));
    await user.click(within(group("An API key is created")).getByRole("checkbox", { name: "Viewer" }));
    expect(screen.getByRole("button", { name: "Discard changes" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Save settings" }));

    expect(await screen.findByText("Notification settings saved")).toBeInTheDocument();
    expect(fake.to("PUT /api/v1/settings/notifications")[0]?.body).toEqual({
      rules: [
        { event_type: "apikey.created", roles: ["owner", "admin", "viewer"] },
        { event_type: "member.joined", roles: ["admin"] },
        kept,
      ],
    });
    await waitFor(() => expect(screen.queryByRole("button", { name: "Discard changes" })).not.toBeInTheDocument());
    await waitFor(() =>
      expect(fake.to("GET /api/v1/settings/notifications").at(-1)?.headers.get("Aegis-Min-Revision")).toBe("30"),
    );
  });

  it("shows the API's message when it refuses the settings, and keeps the changes", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/settings/notifications": json(200, settings),
      "PUT /api/v1/settings/notifications": apiError(
        400,
        "invalid",
        'role "boss" is not owner, admin, developer or viewer',
      ),
    });
    const { user } = renderAt("/settings/notifications");
    await screen.findByRole("group", { name: "A member is removed" });

    await user.click(within(group("A member is removed")).getByRole("checkbox", { name: "Owner" }));
    await user.click(screen.getByRole("button", { name: "Save settings" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The settings were not saved");
    expect(alert).toHaveTextContent('role "boss" is not owner, admin, developer or viewer');
    expect(within(group("A member is removed")).getByRole("checkbox", { name: "Owner" })).toBeChecked();
  });

  it("undoes unsaved changes", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/settings/notifications": json(200, settings),
    });
    const { user } = renderAt("/settings/notifications");
    await screen.findByRole("group", { name: "An app is deleted" });

    await user.click(within(group("An app is deleted")).getByRole("checkbox", { name: "Owner" }));
    await user.click(screen.getByRole("button", { name: "Discard changes" }));

    expect(within(group("An app is deleted")).getByRole("checkbox", { name: "Owner" })).toBeChecked();
  });

  it("says when nothing emails anyone", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/settings/notifications": json(200, { rules: null }),
    });
    renderAt("/settings/notifications");

    expect(await screen.findByText(/No event emails anyone yet/)).toBeInTheDocument();
  });

  it("shows a developer the settings without letting them change them", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, { ...profile, role: "developer" }),
      "GET /api/v1/settings/notifications": json(200, settings),
    });
    renderAt("/settings/notifications");

    await screen.findByRole("group", { name: "An app is deleted" });
    expect(within(group("An app is deleted")).getByRole("checkbox", { name: "Owner" })).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Save settings" })).not.toBeInTheDocument();
    expect(screen.getByText(/only admins and owners change these settings/)).toBeInTheDocument();
  });

  it("shows the API's message when the settings cannot be read", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/settings/notifications": apiError(500, "internal", "internal error"),
    });
    renderAt("/settings/notifications");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load the notification settings");
    expect(alert).toHaveTextContent("internal error");
  });
});
