import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json, profile } from "../test/api";
import { renderAt } from "../test/render";

const ci = {
  token_id: "01a21ab4-4d11-7402-a262-e2a673838afa",
  name: "CI deploys",
  prefix: "aegp_RTTSDmk",
  created_at: "2026-11-27T01:52:33.553959Z",
  expires_at: "2099-01-01T00:00:00Z",
};
const laptop = {
  token_id: "01a21ab4-5e00-7000-8000-000000000002",
  name: "Laptop",
  prefix: "aegp_Zx81kq0",
  created_at: "2026-11-20T10:00:00Z",
  revoked_at: "2026-11-21T10:00:00Z",
};
const old = {
  token_id: "01a21ab4-5e00-7000-8000-000000000003",
  name: "Old script",
  prefix: "aegp_Pq7Lm2s",
  created_at: "2025-01-01T10:00:00Z",
  expires_at: "2025-02-01T00:00:00Z",
};
const secret = "aegp_RTTSDmkA3nfuLI2PmKw2FL1gYeL8cAGnSQRUQMu1bQC_0WrERO";

function row(name: string): HTMLElement {
  const item = within(screen.getByRole("list", { name: "Access tokens" })).getByText(name).closest("li");
  if (!item) {
    throw new Error(`no row for ${name}`);
  }
  return item;
}

describe("access tokens page", () => {
  it("lists tokens with their status, and offers to revoke only those that work", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/tokens": json(200, { tokens: [ci, laptop, old] }),
    });
    renderAt("/settings/tokens");

    expect(await screen.findByText("CI deploys")).toBeInTheDocument();
    expect(row("CI deploys")).toHaveTextContent("Active");
    expect(row("CI deploys")).toHaveTextContent("aegp_RTTSDmk…");
    expect(row("Laptop")).toHaveTextContent("Revoked");
    expect(row("Old script")).toHaveTextContent("Expired");
    expect(screen.getAllByRole("button", { name: /^Revoke/ })).toHaveLength(1);
    expect(within(row("CI deploys")).getByRole("button", { name: "Revoke CI deploys" })).toBeInTheDocument();
  });

  it("says when there are none yet", async () => {
    fakeAPI({ "GET /api/v1/me": json(200, profile), "GET /api/v1/tokens": json(200, { tokens: null }) });
    renderAt("/settings/tokens");

    expect(await screen.findByText("No access tokens yet")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Create your first token" })).toBeInTheDocument();
  });

  it("creates a token and shows it once, with a warning and a copy button", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/tokens": json(200, { tokens: [] }),
      "POST /api/v1/tokens": json(201, { revision: 7, token_id: ci.token_id, token: secret, prefix: ci.prefix }),
    });
    const { user } = renderAt("/settings/tokens");
    await screen.findByText("No access tokens yet");
    fake.on("GET /api/v1/tokens", json(200, { tokens: [ci] }));

    await user.click(screen.getByRole("button", { name: "Create token" }));
    const dialog = await screen.findByRole("dialog", { name: "Create an access token" });
    await user.type(within(dialog).getByLabelText("Name"), "  CI deploys ");
    await user.selectOptions(within(dialog).getByLabelText("Expires"), "30");
    const before = Date.now();
    await user.click(within(dialog).getByRole("button", { name: "Create token" }));

    const shown = await screen.findByRole("dialog", { name: "Copy your new token" });
    expect(within(shown).getByLabelText("Your new token")).toHaveValue(secret);
    expect(within(shown).getByText("This is the only time the token is shown")).toBeInTheDocument();
    const [sent] = fake.to("POST /api/v1/tokens");
    const body = sent?.body as { name: string; expires_at: string };
    expect(body.name).toBe("CI deploys");
    const days = (Date.parse(body.expires_at) - before) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);
    expect(sent?.headers.get("Idempotency-Key")).toBeTruthy();

    await user.click(within(shown).getByRole("button", { name: "Copy" }));
    expect(await navigator.clipboard.readText()).toBe(secret);
    expect(within(shown).getByText("Copied to the clipboard.")).toBeInTheDocument();

    // Escape does not lose the token by accident.
    await user.keyboard("{Escape}");
    expect(screen.getByRole("dialog", { name: "Copy your new token" })).toBeInTheDocument();

    await user.click(within(shown).getByRole("button", { name: "I have copied it" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(screen.queryByDisplayValue(secret)).not.toBeInTheDocument();
    expect(screen.queryByText(secret)).not.toBeInTheDocument();
    expect(row("CI deploys")).toHaveTextContent("Active");
    expect(fake.to("GET /api/v1/tokens").at(-1)?.headers.get("Aegis-Min-Revision")).toBe("7");

    // Opening the dialog again starts over: the token is gone for good.
    await user.click(screen.getByRole("button", { name: "Create token" }));
    const again = await screen.findByRole("dialog", { name: "Create an access token" });
    expect(within(again).getByLabelText("Name")).toHaveValue("");
    expect(screen.queryByDisplayValue(secret)).not.toBeInTheDocument();
  });

  it("sends no expiry for a token that never expires, and a chosen date's start", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/tokens": json(200, { tokens: [] }),
      "POST /api/v1/tokens": json(201, { revision: 7, token_id: ci.token_id, token: secret, prefix: ci.prefix }),
    });
    const { user } = renderAt("/settings/tokens");

    await user.click(await screen.findByRole("button", { name: "Create token" }));
    let dialog = await screen.findByRole("dialog", { name: "Create an access token" });
    await user.type(within(dialog).getByLabelText("Name"), "Forever");
    await user.selectOptions(within(dialog).getByLabelText("Expires"), "never");
    await user.click(within(dialog).getByRole("button", { name: "Create token" }));
    await user.click(await screen.findByRole("button", { name: "I have copied it" }));
    expect(fake.to("POST /api/v1/tokens")[0]?.body).toEqual({ name: "Forever" });

    await user.click(screen.getByRole("button", { name: "Create token" }));
    dialog = await screen.findByRole("dialog", { name: "Create an access token" });
    await user.type(within(dialog).getByLabelText("Name"), "Until a date");
    await user.selectOptions(within(dialog).getByLabelText("Expires"), "date");
    await user.type(within(dialog).getByLabelText("Expiry date"), "2020-01-01");
    await user.click(within(dialog).getByRole("button", { name: "Create token" }));
    expect(within(dialog).getByLabelText("Expiry date")).toHaveAccessibleDescription(/Choose a date after today\./);
    expect(fake.to("POST /api/v1/tokens")).toHaveLength(1);

    await user.clear(within(dialog).getByLabelText("Expiry date"));
    await user.type(within(dialog).getByLabelText("Expiry date"), "2099-03-01");
    await user.click(within(dialog).getByRole("button", { name: "Create token" }));
    await screen.findByRole("dialog", { name: "Copy your new token" });
    expect(fake.to("POST /api/v1/tokens")[1]?.body).toEqual({
      name: "Until a date",
      expires_at: new Date(2099, 2, 1).toISOString(),
    });
  });

  it("asks for a name, and shows the API's message when it refuses", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/tokens": json(200, { tokens: [] }),
      "POST /api/v1/tokens": apiError(400, "invalid", "expires_at must be in the future"),
    });
    const { user } = renderAt("/settings/tokens");

    await user.click(await screen.findByRole("button", { name: "Create token" }));
    const dialog = await screen.findByRole("dialog", { name: "Create an access token" });
    await user.click(within(dialog).getByRole("button", { name: "Create token" }));
    expect(within(dialog).getByLabelText("Name")).toHaveAccessibleDescription(/Name the token after what uses it/);
    expect(fake.to("POST /api/v1/tokens")).toHaveLength(0);

    await user.type(within(dialog).getByLabelText("Name"), "CI deploys");
    await user.click(within(dialog).getByRole("button", { name: "Create token" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("expires_at must be in the future");
    expect(screen.getByRole("dialog", { name: "Create an access token" })).toBeInTheDocument();
  });

  it("revokes a token after asking, and shows the change at once", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/tokens": json(200, { tokens: [ci] }),
    });
    fake.on(`DELETE /api/v1/tokens/${ci.token_id}`, json(200, { revision: 8 }));
    const { user } = renderAt("/settings/tokens");

    await user.click(await screen.findByRole("button", { name: "Revoke CI deploys" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Revoke CI deploys?" });
    expect(dialog).toHaveTextContent("stops working at once");
    fake.on("GET /api/v1/tokens", json(200, { tokens: [{ ...ci, revoked_at: "2026-11-28T00:00:00Z" }] }));
    await user.click(within(dialog).getByRole("button", { name: "Revoke token" }));

    await waitFor(() => expect(row("CI deploys")).toHaveTextContent("Revoked"));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Revoke CI deploys" })).not.toBeInTheDocument();
    expect(fake.to(`DELETE /api/v1/tokens/${ci.token_id}`)).toHaveLength(1);
    expect(fake.to("GET /api/v1/tokens").at(-1)?.headers.get("Aegis-Min-Revision")).toBe("8");
    expect(await screen.findByText("Token CI deploys revoked")).toBeInTheDocument();
  });

  it("shows the API's message when revoking fails, and cancels without sending", async () => {
    const fake = fakeAPI({
      "GET /api/v1/me": json(200, profile),
      "GET /api/v1/tokens": json(200, { tokens: [ci] }),
    });
    fake.on(`DELETE /api/v1/tokens/${ci.token_id}`, apiError(404, "not_found", `no token ${ci.token_id}`));
    const { user } = renderAt("/settings/tokens");

    await user.click(await screen.findByRole("button", { name: "Revoke CI deploys" }));
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
    expect(fake.to(`DELETE /api/v1/tokens/${ci.token_id}`)).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Revoke CI deploys" }));
    const dialog = await screen.findByRole("alertdialog");
    await user.click(within(dialog).getByRole("button", { name: "Revoke token" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent(`no token ${ci.token_id}`);
  });
});
