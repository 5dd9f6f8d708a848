import { QueryClient } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { createMemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { App } from "../App";
import { expectConsoleError } from "../test/console";
import { RouteError } from "./RouteError";

function Broken(): never {
  throw new Error("cannot read properties of undefined");
}

describe("route error boundary", () => {
  it("shows a page that failed to render as an error, without its internals", () => {
    expectConsoleError(/cannot read properties of undefined/);
    const router = createMemoryRouter([{ path: "/", element: <Broken />, errorElement: <RouteError /> }]);

    render(<App router={router} queryClient={new QueryClient()} />);

    expect(screen.getByRole("heading", { name: "Something went wrong" })).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("Something went wrong. Reload the page and try again.");
    expect(screen.queryByText(/cannot read properties/)).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Reload the page" })).toBeInTheDocument();
  });
});
