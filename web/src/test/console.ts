import { vi } from "vitest";

// Every test fails if it wrote to console.error (React's warnings, a
// failed prop type, an act() warning): the setup file watches, and a test
// that means to cause one says so with expectConsoleError.

let calls: unknown[][] = [];
let expected: RegExp[] = [];

/** watchConsoleError starts a test's watch. */
export function watchConsoleError(): void {
  calls = [];
  expected = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    calls.push(args);
  });
}

/** expectConsoleError lets this test write an error matching pattern. */
export function expectConsoleError(pattern: RegExp): void {
  expected.push(pattern);
}

/** unexpectedConsoleErrors returns what the test wrote and did not expect. */
export function unexpectedConsoleErrors(): string[] {
  return calls
    .map((args) => args.map((arg) => (arg instanceof Error ? arg.stack ?? arg.message : String(arg))).join(" "))
    .filter((text) => !expected.some((pattern) => pattern.test(text)));
}
