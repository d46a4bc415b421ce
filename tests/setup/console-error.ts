/**
 * A test that logs through console.error fails, unless it expects the error: a test that expects
 * one spies on console.error itself (`vi.spyOn(console, "error")`), which takes the place of the
 * recorder below while it runs (issue 28, item 12). An unexpected error in the log is a bug that a
 * passing run would otherwise hide.
 */
import { afterEach, beforeEach, vi } from "vitest";

const original = console.error.bind(console);
let unexpected: string[] = [];

function recordingError(...args: unknown[]): void {
  unexpected.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(" "));
  original(...args);
}

beforeEach(() => {
  unexpected = [];
  console.error = recordingError;
});

afterEach(() => {
  // A spy still on console.error (one that lets the calls through) means the test expects them.
  const logged = vi.isMockFunction(console.error) ? [] : unexpected;
  unexpected = [];
  if (console.error === recordingError) console.error = original;
  if (logged.length > 0) {
    throw new Error(
      `console.error was called ${logged.length} time(s) in a test that does not expect it ` +
        `(spy on console.error in the test if the error is expected):\n${logged.map((l) => `  ${l.slice(0, 300)}`).join("\n")}`,
    );
  }
});
