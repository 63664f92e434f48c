import { createMycoiSandbox, type MycoiSandbox } from '@mycoi/mycoi-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMycoiClient, type MycoiClient, paginate } from '../src';

// The compliance feed walked across many pages while records change underneath the cursor.

let sb: MycoiSandbox;
let client: MycoiClient;
const ACCOUNT = 'acct-feed';

beforeAll(async () => {
  sb = await createMycoiSandbox({
    seed: {
      generate: { accountId: ACCOUNT, clientId: 'feed-client', clientSecret: 'feed-secret', vendors: 300, assignments: 500, divisions: 10 },
    },
  });
  client = createMycoiClient({ baseURL: sb.url, clientId: 'feed-client', clientSecret: 'feed-secret' });
});
afterAll(async () => {
  await sb.close();
});

function xorshift(seed: number) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('compliance feed', () => {
  it('pages through every record exactly once when nothing changes', async () => {
    const ids: string[] = [];
    let pages = 0;
    for await (const p of client.compliancePages({ limit: 37 })) {
      pages++;
      ids.push(...p.records.map((r) => r.id));
    }
    expect(pages).toBe(Math.ceil(800 / 37));
    expect(ids).toHaveLength(800);
    expect(new Set(ids).size).toBe(800);
  });

  it('records changing during iteration: nothing skipped, no (id, version) twice, every change seen', async () => {
    const initial = sb.seed.accounts.find((a) => a.id === ACCOUNT)!;
    const allIds = new Set([...initial.vendorIds.map((v) => `cmp_v_${v}`), ...initial.assignmentIds.map((a) => `cmp_a_${a}`)]);
    const seen = new Map<string, number[]>();
    const rnd = xorshift(42);
    const changedVersion = new Map<string, number>();
    let pages = 0;
    for await (const p of client.compliancePages({ limit: 50 })) {
      pages++;
      for (const r of p.records) seen.set(r.id, [...(seen.get(r.id) ?? []), r.version]);
      // Between pages, change 10 random records: some already returned (behind the cursor), some not yet.
      if (pages <= 12) {
        for (let i = 0; i < 10; i++) {
          const n = Math.floor(rnd() * 300);
          const target = rnd() < 0.5 ? { vendorId: initial.vendorIds[n]! } : { assignmentId: initial.assignmentIds[n]! };
          const rec = sb.admin.setCompliance(target, { status: rnd() < 0.5 ? 'finalized_non_compliant' : 'in_progress_compliant' });
          changedVersion.set(rec.id, rec.version);
        }
      }
    }
    for (const id of allIds) expect(seen.has(id), `skipped ${id}`).toBe(true);
    for (const [id, versions] of seen) expect(new Set(versions).size, `${id} returned twice at one version`).toBe(versions.length);
    // The walk ends after the last change, so the latest version of every changed record was returned.
    for (const [id, v] of changedVersion) expect(Math.max(...seen.get(id)!), id).toBe(v);
    expect(changedVersion.size).toBeGreaterThan(50);
  });

  it('the last cursor is a checkpoint: resuming returns only newer changes', async () => {
    let checkpoint = '';
    for await (const p of client.compliancePages({ limit: 100 })) checkpoint = p.cursor;
    const empty = await client.listCompliance({ cursor: checkpoint, limit: 100 });
    expect(empty.records).toEqual([]);
    expect(empty.hasMore).toBe(false);
    const changed = sb.admin.setCompliance({ vendorId: `ven_${ACCOUNT}_7` }, { status: 'expired' });
    const next = await client.listCompliance({ cursor: empty.cursor });
    expect(next.records.map((r) => [r.id, r.version, r.status.kind])).toEqual([[changed.id, changed.version, 'expired']]);
  });

  it('paginate() walks a resource list across pages', async () => {
    const names: string[] = [];
    for await (const v of paginate((cursor) => client.listVendors({ cursor, limit: 40, q: 'steel' }))) names.push(v.name);
    expect(names).toHaveLength(60);
    expect(names.every((n) => n.endsWith('Steel'))).toBe(true);
  });

  it('updated_since and level filter the feed', async () => {
    // The sandbox's own clock, not the wall clock: after the burst of changes in the test above its
    // monotonic stamps can run ahead of Date.now() (more than one change per millisecond on a fast Node).
    const before = sb.state.clock.stamp();
    sb.admin.setCompliance({ assignmentId: `asg_${ACCOUNT}_3` }, { status: 'finalized_compliant' });
    sb.admin.setCompliance({ vendorId: `ven_${ACCOUNT}_3` }, { status: 'finalized_compliant' });
    const recent = await client.listCompliance({ updatedSince: before });
    expect(recent.records.map((r) => r.id).sort()).toEqual([`cmp_a_asg_${ACCOUNT}_3`, `cmp_v_ven_${ACCOUNT}_3`]);
    const onlyAssignments = await client.listCompliance({ updatedSince: before, level: 'assignment' });
    expect(onlyAssignments.records.map((r) => r.level)).toEqual(['assignment']);
    let n = 0;
    for await (const p of client.compliancePages({ level: 'vendor', limit: 100 })) n += p.records.length;
    expect(n).toBe(300);
  });
});
