/**
 * Monotonic timestamps: every change gets an `updated_at` strictly after every earlier one, as
 * the contract requires of myCOI, so a record that changes while a client pages the feed always
 * moves behind the client's cursor.
 */
export class MonotonicClock {
  private last = 0;
  constructor(private readonly now: () => number = Date.now) {}
  /** Makes sure later stamps come after `iso` (seeded timestamps). */
  observe(iso: string): void {
    const t = Date.parse(iso);
    if (t > this.last) this.last = t;
  }
  stamp(): string {
    const t = Math.max(this.now(), this.last + 1);
    this.last = t;
    return new Date(t).toISOString();
  }
}
