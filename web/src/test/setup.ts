import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach } from "vitest";
import { forgetRevision } from "../api/revision";
import { unexpectedConsoleErrors, watchConsoleError } from "./console";

beforeEach(() => {
  watchConsoleError();
});

afterEach(() => {
  cleanup();
  forgetRevision();
  for (const cookie of document.cookie.split(";")) {
    const name = cookie.split("=")[0]?.trim();
    if (name) {
      document.cookie = `${name}=; max-age=0; path=/`;
    }
  }
  const errors = unexpectedConsoleErrors();
  if (errors.length > 0) {
    throw new Error(`the test wrote to console.error:\n${errors.join("\n")}`);
  }
});
