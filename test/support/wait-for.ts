/**
 * Polls `probe` until it returns something other than undefined: tests wait for a condition
 * (a workflow's outcome, a task in an inbox) instead of sleeping a fixed time.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, pollMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
