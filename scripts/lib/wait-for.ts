/**
 * Waiting for a condition instead of sleeping: polls `check` until it returns something
 * truthy and returns that, or fails after `timeoutMs` with a message naming what it waited
 * for. An error thrown by `check` ends the wait at once. Shared by the browser tests, the
 * reliability tests and the benchmarks; it imports no test runner.
 * @module
 */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs: number,
  intervalMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
