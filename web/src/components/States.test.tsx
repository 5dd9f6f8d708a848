import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiError, NetworkError } from "../api/error";
import { EmptyState } from "./EmptyState";
import { ErrorState } from "./ErrorState";
import { LoadingState } from "./LoadingState";

describe("shared states", () => {
  it("announces loading", () => {
    render(<LoadingState label="Loading apps…" />);

    expect(screen.getByRole("status")).toHaveTextContent("Loading apps…");
  });

  it("says what an empty list wants", () => {
    render(<EmptyState title="No apps yet" description="Create one to put an API behind the gateway." />);

    expect(screen.getByText("No apps yet")).toBeInTheDocument();
    expect(screen.getByText("Create one to put an API behind the gateway.")).toBeInTheDocument();
  });

  it("shows the API's message and tries again", async () => {
    const retry = vi.fn();
    render(
      <ErrorState title="Could not load apps" error={new ApiError(403, "forbidden", "this needs the admin role")} onRetry={retry} />,
    );

    expect(screen.getByRole("alert")).toHaveTextContent("Could not load apps");
    expect(screen.getByRole("alert")).toHaveTextContent("this needs the admin role");
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it("says plainly when the API could not be reached", () => {
    render(<ErrorState error={new NetworkError()} />);

    expect(screen.getByRole("alert")).toHaveTextContent("Could not reach the Aegis API.");
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });
});
