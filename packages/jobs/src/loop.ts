import { claimRun, nextDueInMs, reclaimStaleRuns, STALE_AFTER_MS, type RunKind } from '@mycoi/sync';
import { Permits } from './permits';
import { executeClaimed, inFlightLimit, type WorkerOptions } from './worker';

/** Runs of dead processes are looked for at most this often (a run is stale after STALE_AFTER_MS anyway). */
const RECLAIM_EVERY_MS = 5_000;
const MIN_SLEEP_MS = 25;

export interface LoopLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface WorkerLoop {
  /** Look now (a run was queued here), or at `at` (a coalescing window ends then). */
  wake(at?: Date): void;
  stop(): Promise<void>;
}

/**
 * The background worker: slots that each claim and execute runs, `concurrency` of them working at
 * once (a permit each; a run waiting on its tenant's upstream rate limit lends its permit to a slot
 * that starts another run — up to inFlightLimit(concurrency) runs started). Idle slots sleep
 * on one doorbell; only ONE of them polls the table on a timer (until the next queued run is due,
 * at most `pollMs`: runs queued by other instances), the others wait for the bell. A ring wakes one
 * idle slot; a slot that claims a run rings again, so work fans out to as many slots as it needs.
 * The bell rings when this process queues work (wake, or at a coalescing window's end) and when a
 * slot claims. A slot whose run ended looks again itself (its tenant's next run may be due now)
 * and makes the poller recompute its sleep (runs of a busy tenant are not in it).
 * Stale runs of dead processes are reclaimed by the poller.
 */
export function startWorkerLoop(opts: WorkerOptions & { pollMs: number; logger: LoopLogger }): WorkerLoop {
  let stopping = false;
  let poller = false;
  let bell = 0; // rings so far: a slot that saw a ring while it was busy does not sleep through it
  const waiters = new Set<() => void>();
  const timers = new Map<number, NodeJS.Timeout>(); // by due time

  /** Wake ONE idle slot (it wakes the next when it finds work): a burst of wakes costs one claim each, not one per slot. */
  function ring(): void {
    bell++;
    const first = waiters.values().next();
    if (!first.done) first.value();
  }
  let lastReclaim = 0;
  let pollerWaiter: (() => void) | null = null;
  function sleep(seen: number, ms: number | null, asPoller = false): Promise<void> {
    if (bell !== seen || stopping) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        waiters.delete(done);
        if (pollerWaiter === done) pollerWaiter = null;
        resolve();
      };
      waiters.add(done);
      if (asPoller) pollerWaiter = done;
      if (ms !== null) timer = setTimeout(done, ms);
    });
  }
  async function idle(seen: number, kinds: readonly RunKind[] | null): Promise<void> {
    if (poller) return sleep(seen, null);
    poller = true;
    try {
      if (Date.now() - lastReclaim >= RECLAIM_EVERY_MS) {
        lastReclaim = Date.now();
        void reclaimStaleRuns(opts.pool, '', STALE_AFTER_MS).catch(() => undefined);
      }
      const due = await nextDueInMs(opts.pool, kinds).catch(() => null);
      // never a tight loop: a run due "now" that the claim did not take (a race lost five times) waits a moment
      await sleep(seen, Math.min(opts.pollMs, due === null ? opts.pollMs : Math.max(MIN_SLEEP_MS, Math.ceil(due) + 5)), true);
    } finally {
      poller = false;
    }
  }
  const permits = new Permits(Math.max(1, opts.concurrency));
  async function slot(): Promise<void> {
    while (!stopping) {
      try {
        const seen = bell;
        await permits.acquire();
        let ran = false;
        try {
          if (stopping) return;
          const run = await claimRun(opts.pool, opts.instanceId, opts.leaseMs, opts.kinds);
          if (run) {
            ran = true;
            ring(); // there may be more: let another idle slot look too
            await executeClaimed(opts, run, permits); // then this slot looks again itself (its tenant's next run may be due now)
          }
        } finally {
          permits.release();
        }
        if (!ran) {
          await idle(seen, opts.kinds);
          continue;
        }
        // the poller recomputes its sleep: a run of this tenant queued for later was left out of it
        pollerWaiter?.();
      } catch (err) {
        if (stopping) return;
        opts.logger.error({ err: String(err) }, 'sync worker slot failed');
        await sleep(bell, opts.pollMs);
      }
    }
  }
  const slots = Array.from({ length: inFlightLimit(opts.concurrency) }, () => slot());
  return {
    wake(at) {
      if (stopping) return;
      const due = at?.getTime() ?? 0;
      const ms = due - Date.now();
      if (ms <= 0) return ring();
      // a burst of events shares one due time (its coalescing window): one timer for all of them
      if (timers.has(due)) return;
      const t = setTimeout(() => {
        timers.delete(due);
        ring();
      }, ms + 5);
      t.unref?.();
      timers.set(due, t);
    },
    async stop() {
      stopping = true;
      permits.close(); // slots waiting for a permit end instead of waiting for one
      for (const t of timers.values()) clearTimeout(t);
      for (const w of [...waiters]) w();
      await Promise.all(slots); // runs in progress finish their current step and record themselves
    },
  };
}
