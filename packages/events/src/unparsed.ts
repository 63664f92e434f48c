import { createHash } from 'node:crypto';
import type { UnparsedDelivery } from '@mycoi/contracts';
import type pg from 'pg';

type Queryable = Pick<pg.Pool, 'query'>;

/** What we keep of one body, and how many distinct bodies per tenant (newest kept). */
export const UNPARSED_KEEP_BYTES = 16 * 1024;
export const UNPARSED_KEEP_ROWS = 200;
/** What the ops summary shows of each body. */
const SHOW_CHARS = 4000;

export interface UnparsedInput {
  tenantId: string;
  source: 'procore' | 'mycoi';
  body: Buffer;
  contentType: string | undefined;
  reason: string;
}

/**
 * Keeps an authenticated delivery we could not parse, for ops. Bounded: 16 KiB of each body, the
 * newest 200 distinct bodies per tenant; the same bytes again only count a redelivery.
 */
export async function storeUnparsed(db: Queryable, u: UnparsedInput): Promise<void> {
  const digest = createHash('sha256').update(u.body).digest('hex');
  const cut = u.body.subarray(0, UNPARSED_KEEP_BYTES);
  // text columns cannot hold NUL; invalid UTF-8 becomes U+FFFD (this is for reading, not replay)
  const text = cut.toString('utf8').replaceAll('\u0000', '');
  await db.query(
    `insert into webhook_unparsed (tenant_id, source, digest, size_bytes, body, truncated, content_type, reason)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (tenant_id, source, digest) do update
       set deliveries = webhook_unparsed.deliveries + 1, last_received_at = now(), reason = excluded.reason`,
    [
      u.tenantId,
      u.source,
      digest,
      u.body.length,
      text,
      u.body.length > UNPARSED_KEEP_BYTES,
      u.contentType?.slice(0, 200) ?? null,
      u.reason.slice(0, 1000),
    ],
  );
  await db.query(
    `delete from webhook_unparsed where id in (
       select id from webhook_unparsed where tenant_id = $1 order by last_received_at desc, id desc offset $2)`,
    [u.tenantId, UNPARSED_KEEP_ROWS],
  );
}

interface Row {
  source: 'procore' | 'mycoi';
  reason: string;
  body: string;
  truncated: boolean;
  size_bytes: number;
  content_type: string | null;
  deliveries: number;
  first_received_at: Date;
  last_received_at: Date;
}

/** Newest first, for the ops Events section. */
export async function listUnparsed(db: Queryable, tenantId: string, limit = 20): Promise<UnparsedDelivery[]> {
  const { rows } = await db.query<Row>(
    `select source, reason, body, truncated, size_bytes, content_type, deliveries, first_received_at, last_received_at
       from webhook_unparsed where tenant_id = $1 order by last_received_at desc, id desc limit $2`,
    [tenantId, limit],
  );
  return rows.map((r) => ({
    source: r.source,
    reason: r.reason,
    body: r.body.slice(0, SHOW_CHARS),
    truncated: r.truncated || r.body.length > SHOW_CHARS,
    sizeBytes: r.size_bytes,
    contentType: r.content_type,
    deliveries: r.deliveries,
    firstReceivedAt: r.first_received_at.toISOString(),
    lastReceivedAt: r.last_received_at.toISOString(),
  }));
}
