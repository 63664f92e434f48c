/**
 * The Procore calls one hook job made, for its row in `runs` (they count against the tenant's
 * rate budget like a sync run's, so the run history must show them). Counted the way the sync
 * engine counts (RunContext): the difference of the tenant client's attempt counter (retries
 * included) since the job first used the client. Runs of one tenant never overlap, so the
 * difference is this job's own — except for tenants sharing one credential set (the marketplace
 * app), exactly as for sync runs. Writes (hook and trigger create/delete) are counted as made.
 */
export class CallMeter {
  private stats: { readonly attempts: number } | null = null;
  private start = 0;
  private writeCount = 0;

  /** The client's live counter; the first one seen is the baseline (later calls are ignored). */
  watch(stats: { readonly attempts: number }): void {
    if (this.stats) return;
    this.stats = stats;
    this.start = stats.attempts;
  }

  /** A write call is about to be made. */
  wrote(): void {
    this.writeCount += 1;
  }

  calls(): number {
    return this.stats ? this.stats.attempts - this.start : 0;
  }

  writes(): number {
    return this.writeCount;
  }
}
