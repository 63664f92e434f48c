/**
 * Polls `probe` until it returns something truthy, or fails naming `what`. The default leaves room
 * for the strict Procore sandbox, which paces calls to 25 per 10 s.
 */
export async function until<T>(what: string, probe: () => T | Promise<T>, ms = 45_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
