import type pg from 'pg';
import { BudgetLowError, RunContext, describeError, type SyncLogger } from './context';
import { feedStart } from './feed-start';
import { sendDigestIfChanged } from './digest';
import { ingestRecords } from './ingest';
import type { MailerPort, TenantClients } from './ports';
import { pushDirty } from './push';
import { expireLapsed, reconcile } from './reconcile';
import { enqueueRun, finishRun, markReconciled, recordOutcome, tenantState, type RunRow } from './runs';
import { clearInvalidSettings, featuresOf, loadTenant, reportInvalidSettings, runBlockedBy, SettingsInvalidError } from './tenants';
import { runUpkeep } from './upkeep';
import { runTargetedBatch, type TargetedTarget } from './targeted';
import { startDirectoryPrefetch } from './prefetch';
import { retryPending } from './pending-retry';
import { linkExistingRecords, wakePendingAfterUpkeep } from './upkeep-links';

export interface EngineOptions {
  pool: pg.Pool;
  logger: SyncLogger;
  clientsForTenant(tenantId: string): Promise<TenantClients>;
  mailer: MailerPort;
  /** Procore web app base for links in the digest */
  procoreAppUrl: string;
  /** re-read Procore to repair drift at most this often per tenant (default daily) */
  reconcileEveryMs?: number;
  /** stop a run when this few calls remain in the tenant's HOURLY Procore window (default 20);
   *  the 10-second spike window is paced, never a reason to stop */
  budgetReserve?: number;
  now?: () => Date;
}

/** Calls of the hour a background run leaves to the side panel and event runs. */
export const DEFAULT_HOURLY_RESERVE = 20;

export interface RunOutcome {
  status: 'succeeded' | 'failed' | 'stopped';
  ctx: RunContext | null;
  stopReason: string | null;
  /** What made a failed run fail, for callers that answer a user (e.g. missing credentials). */
  error?: unknown;
}

/** Execute one claimed run and record its result; never throws (the result says what happened). */
export async function executeRun(
  opts: EngineOptions,
  run: Pick<RunRow, 'id' | 'tenant_id' | 'kind' | 'target'>,
  owner: string,
  heartbeat: () => Promise<void>,
): Promise<RunOutcome> {
  const { pool } = opts;
  let ctx: RunContext | null = null;
  let status: RunOutcome['status'] = 'succeeded';
  let stopReason: string | null = null;
  let error: unknown;
  try {
    const tenant = await loadTenant(pool, run.tenant_id); // throws SettingsInvalidError
    if (tenant) await clearInvalidSettings(pool, tenant.id);
    // the one gate (@mycoi/contracts features.ts) says whether this kind of run may do anything
    const blocked = tenant ? runBlockedBy(run.kind, featuresOf(tenant)) : 'not_active';
    if (!tenant || blocked) {
      stopReason = blocked === 'not_active' || !blocked ? 'tenant_inactive' : blocked;
      status = 'stopped';
    } else {
      const clients = await opts.clientsForTenant(tenant.id);
      const budgetReserve = opts.budgetReserve ?? DEFAULT_HOURLY_RESERVE;
      ctx = new RunContext(pool, tenant, clients, opts.logger, { now: opts.now, budgetReserve, heartbeat });
      if (run.kind === 'push') await runPush(opts, ctx);
      else if (run.kind === 'upkeep') {
        const projects = await runUpkeep(ctx);
        const linked = await linkExistingRecords(ctx, projects);
        await sendDigestIfChanged(ctx, projects, { procoreAppUrl: opts.procoreAppUrl, mailer: opts.mailer });
        // records that waited for these links are placed by a push now, not at the next slot
        if (!runBlockedBy('push', featuresOf(tenant)) && (await wakePendingAfterUpkeep(ctx, linked))) {
          await enqueueRun(pool, { tenantId: tenant.id, kind: 'push', trigger: 'resume' });
        }
      } else await runTargeted(ctx, run.target ?? {});
    }
  } catch (err) {
    if (err instanceof SettingsInvalidError) {
      status = 'failed';
      error = err;
      stopReason = 'settings_invalid';
      await reportInvalidSettings(pool, opts.logger, run.tenant_id, err.issues);
    } else if (err instanceof BudgetLowError) {
      status = 'stopped';
      stopReason = 'rate_budget_low';
      // continue where we stopped once the window resets (the ledger and cursors hold the position)
      if (run.kind !== 'targeted') {
        await finishAndRecord();
        await enqueueRun(pool, { tenantId: run.tenant_id, kind: run.kind, trigger: 'resume', runAfter: new Date(err.resetAt) });
        return { status, ctx, stopReason };
      }
    } else {
      status = 'failed';
      error = err;
      stopReason = describeError(err);
      ctx?.error('run_failed', stopReason);
      opts.logger.error({ tenantId: run.tenant_id, kind: run.kind, err: stopReason }, 'sync run failed');
    }
  }
  await finishAndRecord();
  return { status, ctx, stopReason, error };

  async function finishAndRecord(): Promise<void> {
    await finishRun(pool, run.id, owner, {
      status,
      counts: ctx
        ? { ...ctx.counts, rateLimitWaits: ctx.rateLimitWaits() }
        : { read: 0, unchanged: 0, created: 0, updated: 0, deleted: 0, failed: 0, skipped: 0 },
      calls: ctx?.calls() ?? 0,
      writeCalls: ctx?.writeCalls() ?? 0,
      errors: ctx?.errors ?? (stopReason && status === 'failed' ? [{ code: 'run_failed', message: stopReason }] : []),
      stopReason,
    });
    if (ctx && run.kind !== 'targeted' && stopReason !== 'rate_budget_low')
      await recordOutcome(pool, run.tenant_id, status === 'succeeded');
  }
}

async function runPush(opts: EngineOptions, ctx: RunContext): Promise<void> {
  const t = ctx.tenant;
  await expireLapsed(ctx);
  const state = await tenantState(ctx.pool, t.id);
  const every = opts.reconcileEveryMs ?? 24 * 3600_000;
  const last = state?.last_reconcile_at?.getTime() ?? null;
  // the first run has nothing to reconcile against; afterwards re-read Procore once per period
  if (last === null) await markReconciled(ctx.pool, t.id);
  else if (ctx.now().getTime() - last >= every) {
    await reconcile(ctx);
    await markReconciled(ctx.pool, t.id);
  }
  // records kept pending by earlier runs whose cause went away (a link now exists)
  await retryPending(ctx);
  let cursor = await feedStart(ctx); // from the start again when the rows' settings changed
  // where a run's time goes (ms), recorded with its counts for the ops console and the benchmark
  const t0 = Date.now();
  // the Procore budget is idle while the feed is read: spend it on directory reads the push needs
  const prefetch = startDirectoryPrefetch(ctx);
  try {
    for (;;) {
      const page = await ctx.clients.mycoi.compliancePage(cursor);
      for (const s of page.skipped) {
        ctx.add('skipped');
        ctx.error('bad_record', s.reason, s.ref);
      }
      await ingestRecords(ctx, page.records, page.cursor);
      cursor = page.cursor;
      await prefetch.poke();
      await ctx.beat();
      if (!page.hasMore) break;
    }
  } finally {
    prefetch.stop();
  }
  const t1 = Date.now();
  ctx.add('feedMs', t1 - t0);
  await pushDirty(ctx);
  ctx.add('pushMs', Date.now() - t1);
}

/** An event about one vendor or assignment (or a coalesced batch of them): see targeted.ts. */
async function runTargeted(ctx: RunContext, target: TargetedTarget): Promise<void> {
  await runTargetedBatch(ctx, target);
}
