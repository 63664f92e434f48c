import { claimRun, nextDueInMs, reclaimStaleRuns, STALE_AFTER_MS, type RunKind } from '@mycoi/sync';
import { executeClaimed, type WorkerOptions } from './worker';

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
 * The background worker: `concurrency` slots that each claim and execute runs. Idle slots sleep
 * on one doorbell; only ONE of them polls the table on a timer (until the next queued run is due,
 * at most `pollMs`: runs queued by other instances), the others wait for the bell. The bell rings
 * when this process queues work (wake), when a poll finds work, and after every finished run (it
 * may have unblocked its tenant's next run). Stale runs of dead processes are reclaimed by the
 * poller.
 */
export function startWorkerLoop(opts: WorkerOptions & { pollMs: number; logger: LoopLogger }): WorkerLoop {
  let stopping = false;
  let poller = false;
  let bell = 0; // rings so far: a slot that saw a ring while it was busy does not sleep through it
  const waiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();

  function ring(): void {
    bell++;
    for (const w of [...waiters]) w();
  }
  function sleep(seen: number, ms: number | null): Promise<void> {
    if (bell !== seen || stopping) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      waiters.add(done);
      if (ms !== null) timer = setTimeout(done, ms);
    });
  }
  async function idle(seen: number, kinds: readonly RunKind[] | null): Promise<void> {
    if (poller) return sleep(seen, null);
    poller = true;
    try {
      void reclaimStaleRuns(opts.pool, '', STALE_AFTER_MS).catch(() => undefined);
      const due = await nextDueInMs(opts.pool, kinds).catch(() => null);
      await sleep(seen, Math.min(opts.pollMs, due === null ? opts.pollMs : Math.ceil(due) + 5));
    } finally {
      poller = false;
    }
  }
  async function slot(): Promise<void> {
    while (!stopping) {
      try {
        const seen = bell;
        const run = await claimRun(opts.pool, opts.instanceId, opts.leaseMs, opts.kinds);
        if (!run) {
          await idle(seen, opts.kinds);
          continue;
        }
        ring(); // there may be more: let idle slots look too
        await executeClaimed(opts, run);
        ring();
      } catch (err) {
        if (stopping) return;
        opts.logger.error({ err: String(err) }, 'sync worker slot failed');
        await sleep(bell, opts.pollMs);
      }
    }
  }
  const slots = Array.from({ length: Math.max(1, opts.concurrency) }, () => slot());
  return {
    wake(at) {
      if (stopping) return;
      const ms = at ? at.getTime() - Date.now() : 0;
      if (ms <= 0) return ring();
      const t = setTimeout(() => {
        timers.delete(t);
        ring();
      }, ms + 5);
      t.unref?.();
      timers.add(t);
    },
    async stop() {
      stopping = true;
      for (const t of timers) clearTimeout(t);
      ring();
      await Promise.all(slots); // runs in progress finish their current step and record themselves
    },
  };
}
