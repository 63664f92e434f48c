import { listenForWaits } from '@mycoi/http';

/**
 * How many runs of this instance may WORK at once (SYNC_CONCURRENCY). A run that only waits on an
 * upstream — its tenant's Procore window (25 calls per 10 s), a Retry-After, a retry's backoff —
 * lends its permit to another run meanwhile: each tenant has its own budget, so one tenant's wait
 * is no reason for the others to wait. A run coming back from a wait is served before a new run is
 * started (it holds its tenant and a lease already).
 */
export class Permits {
  private used = 0;
  private readonly returning: (() => void)[] = [];
  private readonly starting: (() => void)[] = [];
  private closed = false;

  constructor(readonly size: number) {}

  /** Resolves when a permit is taken (or at once after close(): the caller must check). */
  acquire(returning = false): Promise<void> {
    if (this.closed || (this.used < this.size && this.returning.length === 0 && (returning || this.starting.length === 0))) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve) => (returning ? this.returning : this.starting).push(resolve));
  }

  release(): void {
    const next = this.returning.shift() ?? this.starting.shift();
    if (next)
      next(); // the permit passes on: `used` stays
    else this.used = Math.max(0, this.used - 1);
  }

  /** Wakes every waiter (shutdown): nobody waits for a permit that will never come. */
  close(): void {
    this.closed = true;
    for (const w of this.returning.splice(0)) w();
    for (const w of this.starting.splice(0)) w();
  }

  get inUse(): number {
    return this.used;
  }

  /**
   * Run `work` (which holds a permit on entry) so that its upstream waits give the permit back
   * while they last; the permit is held again when this returns. Parallel calls of one run (a push
   * works on a few scopes at once) share its permit: given back when the first starts waiting —
   * they share the tenant's budget, so they run dry together — and taken back before the first of
   * them goes on. A call still waiting after `work` settled (a straggler of a failed Promise.all)
   * no longer touches the permit.
   */
  async lendWhileWaiting<T>(work: () => Promise<T>): Promise<T> {
    let held = true;
    let done = false;
    let taking: Promise<void> | null = null;
    const takeBack = (): Promise<void> =>
      (taking ??= this.acquire(true).then(() => {
        held = true;
        taking = null;
      }));
    const listener = {
      waiting: async (sleep: Promise<void>): Promise<void> => {
        if (done) return sleep;
        if (held) {
          held = false;
          this.release();
        }
        try {
          await sleep;
        } finally {
          if (!held && !done) await takeBack();
        }
      },
    };
    try {
      return await listenForWaits(listener, work);
    } finally {
      if (!held) await takeBack();
      done = true;
    }
  }
}
