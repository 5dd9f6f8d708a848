import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeAPI } from "../test/api";
import { renderAt } from "../test/render";

describe("not found page", () => {
  it("answers an address the dashboard has no page for", () => {
    const fake = fakeAPI();
    renderAt("/no/such/page");

    expect(screen.getByRole("heading", { name: "Page not found" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Go to the dashboard" })).toHaveAttribute("href", "/");
    expect(fake.sent).toHaveLength(0);
  });
});
