import { describe, expect, it } from "vitest";
import { loginPath, safeNext } from "./next";

describe("safeNext", () => {
  it.each([
    ["/apps/1?tab=keys#top", "/apps/1?tab=keys#top"],
    [null, "/"],
    ["", "/"],
    ["https://evil.example/", "/"],
    ["//evil.example/", "/"],
    ["/\\evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/login?next=/apps", "/"],
    ["/logout", "/"],
  ])("%s goes to %s", (next, want) => {
    expect(safeNext(next)).toBe(want);
  });
});

describe("loginPath", () => {
  it("keeps where the visitor was going", () => {
    expect(loginPath("/members?role=admin")).toBe("/login?next=%2Fmembers%3Frole%3Dadmin");
  });

  it("adds nothing for the start page", () => {
    expect(loginPath("/")).toBe("/login");
  });
});
