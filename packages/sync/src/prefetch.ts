import { BudgetLowError, type RunContext } from './context';

/** Directory reads in flight at once while the feed is read (the push's own scope concurrency). */
const PREFETCH_CONCURRENCY = 4;

/**
 * Reading the myCOI feed costs no Procore calls, so at Procore's spike limit (25 per 10 s) the
 * token's windows would pass unused while it runs. The project scopes that will get rows we never
 * wrote need their Project Directory read before the push (to add missing vendors); this reads
 * them during the feed instead — the same calls the push would make, only earlier, so the call
 * count is unchanged and the push finds them done (`ctx.projectMembers`).
 */
export function startDirectoryPrefetch(ctx: RunContext) {
  const requested = new Set<string>();
  const queue: string[] = [];
  let stopped = false;
  let running = 0;

  const pump = () => {
    while (!stopped && running < PREFETCH_CONCURRENCY && queue.length > 0) {
      const projectId = queue.shift()!;
      running += 1;
      void (async () => {
        try {
          ctx.checkBudget();
          await ctx.projectMembers(projectId);
        } catch (err) {
          // the push meets the same error when it needs this directory; a spent hour ends prefetching
          if (err instanceof BudgetLowError) stopped = true;
        } finally {
          running -= 1;
          pump();
        }
      })();
    }
  };

  return {
    /** After each ingested feed page: queue the project scopes that now hold rows we never wrote. */
    async poke(): Promise<void> {
      if (stopped) return;
      const res = await ctx.pool.query<{ p: string }>(
        `select distinct procore_project_id as p from pushed_insurances
         where tenant_id = $1 and target = 'project' and procore_id is null and desired is not null
           and desired_hash is distinct from pushed_hash`,
        [ctx.tenant.id],
      );
      for (const { p } of res.rows) {
        if (requested.has(p)) continue;
        requested.add(p);
        queue.push(p);
      }
      pump();
    },
    /** The feed is done: no new reads start; those in flight finish for the push to use. */
    stop(): void {
      stopped = true;
      queue.length = 0;
    },
  };
}
