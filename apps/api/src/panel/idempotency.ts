import type pg from 'pg';
import { HttpError } from '../http/errors';
import { requestHash } from './tokens';

type Queryable = Pick<pg.Pool, 'query'>;

export const IDEMPOTENCY_KEY = /^[\w.:-]{8,128}$/;
const WAIT_MS = 15_000;
// A pending row older than this belongs to a request that died mid-way: the next retry takes over.
// Taking over is safe because every upstream create carries an idempotency key derived from the
// same panel key, and links are unique per (tenant, kind, procore id).
const STALE_MS = 60_000;

export interface ActionOutcome<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/**
 * Runs `work` at most once per (tenant, Idempotency-Key). A concurrent duplicate (double click)
 * waits for the first to finish and gets the same answer; a later retry replays it; a failed run
 * (an error answer) may be retried with the same key. The same key with another body → 422.
 */
export async function once<T>(
  db: Queryable,
  input: { tenantId: string; key: string; action: string; body: unknown; actor: string },
  work: () => Promise<{ status: number; body: T }>,
): Promise<ActionOutcome<T>> {
  if (!IDEMPOTENCY_KEY.test(input.key)) {
    throw new HttpError(400, 'bad_idempotency_key', 'Idempotency-Key must be 8–128 letters, digits or . : _ -');
  }
  const hash = requestHash({ action: input.action, body: input.body });
  const started = Date.now();
  for (;;) {
    const claimed = await db.query(
      `insert into panel_actions (tenant_id, idempotency_key, action, request_hash, created_by) values ($1, $2, $3, $4, $5)
       on conflict (tenant_id, idempotency_key) do update set state = 'pending', created_at = now(), finished_at = null
         where panel_actions.request_hash = excluded.request_hash
           and (panel_actions.state = 'failed' or (panel_actions.state = 'pending' and panel_actions.created_at < now() - make_interval(secs => $6)))
       returning 1`,
      [input.tenantId, input.key, input.action, hash, input.actor, STALE_MS / 1000],
    );
    if ((claimed.rowCount ?? 0) === 1) return run(db, input, work);

    const { rows } = await db.query<{ state: string; request_hash: string; status_code: number | null; result: T }>(
      'select state, request_hash, status_code, result from panel_actions where tenant_id = $1 and idempotency_key = $2',
      [input.tenantId, input.key],
    );
    const row = rows[0];
    if (!row) continue; // deleted in between: claim again
    if (row.request_hash !== hash) {
      throw new HttpError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different request');
    }
    if (row.state === 'done') return { status: row.status_code ?? 200, body: row.result, replayed: true };
    if (Date.now() - started > WAIT_MS) {
      throw new HttpError(409, 'action_in_progress', 'The same action is still running; try again in a moment');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function run<T>(
  db: Queryable,
  input: { tenantId: string; key: string },
  work: () => Promise<{ status: number; body: T }>,
): Promise<ActionOutcome<T>> {
  try {
    const out = await work();
    await db.query(
      `update panel_actions set state = 'done', status_code = $3, result = $4::jsonb, finished_at = now() where tenant_id = $1 and idempotency_key = $2`,
      [input.tenantId, input.key, out.status, JSON.stringify(out.body)],
    );
    return { ...out, replayed: false };
  } catch (err) {
    await db.query(`update panel_actions set state = 'failed', finished_at = now() where tenant_id = $1 and idempotency_key = $2`, [
      input.tenantId,
      input.key,
    ]);
    throw err;
  }
}
