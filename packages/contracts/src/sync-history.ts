import { z } from 'zod';
import { SyncProblem } from './sync-problems';

/**
 * What the integration did for one tenant: the sync state, the last and next run, the recent runs
 * with their counts, and the current problems. Served to the customer console
 * (`GET /api/admin/companies/:companyId/sync`) and the ops console (`GET /api/ops/tenants/:id/sync`),
 * both paginated by run id. "Sync now" answers with `SyncNowResponse`: what really happened.
 */

export const SyncRunKind = z.enum(['push', 'upkeep', 'targeted', 'hooks']);
export type SyncRunKind = z.infer<typeof SyncRunKind>;
export const SyncRunStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'stopped']);
export type SyncRunStatus = z.infer<typeof SyncRunStatus>;
export const SyncRunTrigger = z.enum(['schedule', 'manual', 'event', 'resume']);
export type SyncRunTrigger = z.infer<typeof SyncRunTrigger>;

export const SyncRowCounts = z.object({
  read: z.number().int(),
  unchanged: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  deleted: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
});
export type SyncRowCounts = z.infer<typeof SyncRowCounts>;

export const SyncRun = z.object({
  id: z.number().int(),
  kind: SyncRunKind,
  status: SyncRunStatus,
  trigger: SyncRunTrigger,
  queuedAt: z.string(),
  /** When a queued run becomes due (later than queuedAt for scheduled and resumed runs). */
  runAfter: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  procoreCalls: z.number().int(),
  procoreWrites: z.number().int(),
  rows: SyncRowCounts,
  /** Times the run waited for Procore's rate limit (budget waits and 429 answers). */
  rateLimitWaits: z.number().int(),
  /** Why a run stopped or failed, in plain words; null when it succeeded. */
  outcomeText: z.string().nullable(),
  /** The first errors of the run (row refusals, failures), at most 5. */
  errors: z.array(z.object({ code: z.string(), message: z.string(), ref: z.string().optional() })),
});
export type SyncRun = z.infer<typeof SyncRun>;

export const SyncState = z.enum(['inactive', 'never_run', 'queued', 'running', 'ok', 'failing', 'backing_off']);
export type SyncState = z.infer<typeof SyncState>;

/** Why "sync now" cannot queue a run right now. */
export const SyncBlockReason = z.enum(['tenant_inactive', 'push_off', 'credentials_missing', 'backoff', 'rate_limited', 'scheduler_off']);
export type SyncBlockReason = z.infer<typeof SyncBlockReason>;

export const SyncHistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Runs with an id below this one (the `nextBefore` of the previous page). */
  before: z.coerce.number().int().min(1).optional(),
});
export type SyncHistoryQuery = z.infer<typeof SyncHistoryQuery>;

export const SyncHistory = z.object({
  state: SyncState,
  /** The state in one plain sentence. */
  stateText: z.string(),
  /** True while a run is running or due: the consoles poll every few seconds meanwhile. */
  inProgress: z.boolean(),
  lastRun: SyncRun.nullable(),
  lastSuccessAt: z.string().nullable(),
  /** The next scheduled (or queued) push/upkeep; null when the tenant is not active or the scheduler is off. */
  nextRunAt: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  backoffUntil: z.string().nullable(),
  /** Whether "sync now" would queue a run, and if not why (the same answer the POST gives). */
  syncNow: z.object({ allowed: z.boolean(), reason: SyncBlockReason.nullable(), message: z.string().nullable() }),
  problems: z.array(SyncProblem),
  runs: z.array(SyncRun),
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: z.number().int().nullable(),
});
export type SyncHistory = z.infer<typeof SyncHistory>;

/** The answer to "sync now": never "started" when nothing will happen. */
export const SyncNowResponse = z.object({
  outcome: z.enum(['queued', 'already_queued', 'blocked']),
  /** The plain-words answer the console shows as is. */
  message: z.string(),
  /** Set when blocked. */
  reason: SyncBlockReason.nullable(),
  /** When the block lifts by itself (backoff end, Procore rate window reset), else null. */
  blockedUntil: z.string().nullable(),
  /** The runs queued now (queued) or already waiting (already_queued). */
  runIds: z.array(z.number().int()),
  requestedAt: z.string(),
});
export type SyncNowResponse = z.infer<typeof SyncNowResponse>;

/** The short sync summary in every TenantView (ops tenant list and detail). */
export const SyncSummary = z.object({
  state: SyncState,
  lastRunAt: z.string().nullable(),
  lastError: z.string().nullable(),
  syncRequestedAt: z.string().nullable(),
  problemCount: z.number().int(),
});
export type SyncSummary = z.infer<typeof SyncSummary>;
