import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMycoiSandbox, type MycoiSandbox } from '../src';

// The sandbox on its own, over raw HTTP: seeds, idempotency, admin endpoints, webhooks, request log.

let sb: MycoiSandbox;
let token = '';
const api = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; token?: string } = {}) =>
  fetch(sb.url + path, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${init.token ?? token}`, ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

beforeAll(async () => {
  sb = await createMycoiSandbox({ asOf: '2026-11-25' });
  const r = await fetch(`${sb.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=demo-mycoi-client&client_secret=demo-mycoi-secret',
  });
  token = ((await r.json()) as { access_token: string }).access_token;
});
afterAll(async () => {
  await sb.close();
});

describe('seeds', () => {
  it('the demo seed is deterministic for one asOf and lines up with the Procore demo company 1001', async () => {
    const again = await createMycoiSandbox({ asOf: '2026-11-25' });
    try {
      expect(again.admin.fullState()).toEqual(sb.admin.fullState());
    } finally {
      await again.close();
    }
    const acme = sb.seed.accounts.find((a) => a.id === 'acct-acme')!;
    expect(acme).toMatchObject({ clientId: 'demo-mycoi-client', clientSecret: 'demo-mycoi-secret' });
    const ext = sb.state.vendors.ofAccount('acct-acme').map((v) => v.external_id);
    expect(ext).toEqual(['70001', '70002', '70003', '70004', '70005', null]);
    expect(sb.state.divisions.ofAccount('acct-acme').map((d) => d.external_id)).toEqual(['5001', '5002', null]);
    expect(sb.seed.users.map((u) => `${u.email}:${u.accountId}:${u.role}`)).toEqual(
      expect.arrayContaining(['risk@acme.test:acct-acme:admin', 'pm@acme.test:acct-acme:manager', 'eve@other.test:acct-other:admin']),
    );
    const labels = new Set([...sb.state.compliance.values()].map((r) => r.status.label));
    for (const l of [
      'Finalized; Compliant',
      'Finalized; Non-Compliant',
      'In-Progress; Undecided',
      'In-Progress; Non-Compliant',
      'In-Progress; Compliant',
      'Unregistered',
      'Expired',
    ]) {
      expect(labels.has(l), l).toBe(true);
    }
  });

  it('the generator builds a large tenant (2,000 vendors × 4 lines, 4,000 assignments) next to the demo', async () => {
    const big = await createMycoiSandbox({ seed: { generate: {} } });
    try {
      expect(big.admin.counts()['acct-large']).toEqual({
        divisions: 50,
        vendors: 2000,
        insurance_sets: 1,
        assignments: 4000,
        compliance: 6000,
      });
      const lines = [...big.state.compliance.values()]
        .filter((r) => r.account_id === 'acct-large' && r.level === 'vendor')
        .reduce((n, r) => n + r.coverage_lines.length, 0);
      expect(lines).toBe(2000 * 4 * 0.9); // one status in ten is unregistered (no lines)
      expect(big.seed.accounts.map((a) => a.id)).toEqual(['acct-acme', 'acct-other', 'acct-large']);
    } finally {
      await big.close();
    }
  });

  it('generates several tenants, each its own account and credentials, and refuses one account twice', async () => {
    const multi = await createMycoiSandbox({
      seed: {
        generate: [
          { accountId: 'acct-t1', clientId: 't1-client', clientSecret: 't1-secret', vendors: 3, assignments: 2, divisions: 1 },
          { accountId: 'acct-t2', clientId: 't2-client', clientSecret: 't2-secret', vendors: 5, assignments: 0, divisions: 2 },
        ],
      },
    });
    try {
      expect(multi.admin.counts()['acct-t1']).toMatchObject({ vendors: 3, assignments: 2, divisions: 1 });
      expect(multi.admin.counts()['acct-t2']).toMatchObject({ vendors: 5, assignments: 0, divisions: 2 });
      // a tenant's token sees its own account only
      const tok = await fetch(`${multi.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=t2-client&client_secret=t2-secret',
      });
      const t2 = ((await tok.json()) as { access_token: string }).access_token;
      const r = await fetch(`${multi.url}/v1/vendors?limit=100`, { headers: { authorization: `Bearer ${t2}` } });
      expect(r.status).toBe(200);
      const ids = ((await r.json()) as { data: { id: string }[] }).data.map((v) => v.id);
      expect(ids).toHaveLength(5);
      expect(ids.every((id) => id.startsWith('ven_acct-t2_'))).toBe(true);
    } finally {
      await multi.close();
    }
    await expect(createMycoiSandbox({ seed: { generate: [{ accountId: 'acct-x' }, { accountId: 'acct-x' }] } })).rejects.toThrow(
      /generated twice/,
    );
  });

  it('an empty sandbox has no accounts', async () => {
    const empty = await createMycoiSandbox({ seed: 'empty' });
    try {
      expect(empty.seed.accounts).toEqual([]);
    } finally {
      await empty.close();
    }
  });
});

describe('idempotency keys', () => {
  it('replays the first answer for the same key and body, and refuses the key with another body', async () => {
    const body = { name: 'Idem Co', external_id: 'idem-1' };
    const a = await api('/v1/vendors', { method: 'POST', body, headers: { 'Idempotency-Key': 'same' } });
    const b = await api('/v1/vendors', { method: 'POST', body, headers: { 'Idempotency-Key': 'same' } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(await b.json()).toEqual(await a.json());
    expect(sb.state.vendors.rows.filter((v) => v.external_id === 'idem-1')).toHaveLength(1);
    const c = await api('/v1/vendors', { method: 'POST', body: { ...body, name: 'Other' }, headers: { 'Idempotency-Key': 'same' } });
    expect(c.status).toBe(422);
    // Without a key, the second create is a 409 duplicate rather than a replay.
    expect((await api('/v1/vendors', { method: 'POST', body })).status).toBe(409);
  });
});

describe('admin endpoints', () => {
  it('POST /_sandbox/compliance/... makes a new version with a later updated_at and default ids', async () => {
    const before = structuredClone(sb.state.compliance.get('cmp_a_asg_acme_0003')!);
    const r = await fetch(`${sb.url}/_sandbox/compliance/assignments/asg_acme_0003`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        status: 'finalized_compliant',
        coverage_lines: [
          { type: 'general_liability', status: 'compliant', carrier: 'Zurich', limits: [{ kind: 'each_occurrence', amount: 1000000 }] },
        ],
        deficiencies: [],
      }),
    });
    expect(r.status).toBe(200);
    const after = (await r.json()) as typeof before;
    expect(after.version).toBe(before.version + 1);
    expect(after.updated_at > before.updated_at).toBe(true);
    expect(after.coverage_lines[0]).toMatchObject({ id: 'cov_asg_acme_0003_1', type_label: 'General Liability', policy_number: null });
    expect(after.status.label).toBe('Finalized; Compliant');
    expect(after.last_reviewed_at).not.toBeNull();
    const bad = await fetch(`${sb.url}/_sandbox/compliance/vendors/ven_acme_bright`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'great' }),
    });
    expect(bad.status).toBe(400);
    const missing = await fetch(`${sb.url}/_sandbox/compliance/vendors/nope`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(missing.status).toBe(404);
  });

  it('faults and the request log over HTTP', async () => {
    await fetch(`${sb.url}/_sandbox/requests`, { method: 'DELETE' });
    const put = await fetch(`${sb.url}/_sandbox/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1, errorStatuses: [502] }),
    });
    expect(await put.json()).toMatchObject({ errorRate: 1 });
    expect((await api('/v1/me')).status).toBe(502);
    expect((await fetch(`${sb.url}/_sandbox/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await api('/v1/me')).status).toBe(200);
    const log = (await (await fetch(`${sb.url}/_sandbox/requests`)).json()) as Array<{
      status: number;
      fault: string | null;
      accountId: string | null;
    }>;
    expect(log.map((l) => [l.status, l.fault])).toEqual([
      [502, 'error'],
      [200, null],
    ]);
    expect(log[1]!.accountId).toBe('acct-acme');
    const bad = await fetch(`${sb.url}/_sandbox/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 3 }),
    });
    expect(bad.status).toBe(400);
  });

  it('malformed and reset faults still apply the write (the answer is what gets lost)', async () => {
    sb.faults.set({ malformedRate: 1 });
    const r = await api('/v1/divisions', { method: 'POST', body: { name: 'Half', external_id: 'half-1' } });
    sb.faults.set({ resetRate: 1 });
    await expect(api('/v1/divisions', { method: 'POST', body: { name: 'Lost', external_id: 'lost-1' } })).rejects.toThrow();
    sb.faults.clear();
    await expect(r.clone().json()).rejects.toThrow();
    expect(sb.state.divisions.rows.filter((d) => d.external_id === 'half-1' || d.external_id === 'lost-1')).toHaveLength(2);
  });

  it('tokens can be expired (401 token_expired) and users unlocked', async () => {
    sb.admin.expireTokens();
    const r = await api('/v1/me');
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ error: { code: 'token_expired' } });
  });
});

describe('webhooks', () => {
  it('nothing is sent when no webhook is configured; a dead receiver is given up after the attempts', async () => {
    sb.admin.setCompliance({ vendorId: 'ven_acme_peak' }, { status: 'in_progress_undecided' });
    await sb.admin.flushWebhooks();
    expect(sb.admin.deliveries()).toEqual([]);
    sb.admin.setWebhook({ url: 'http://127.0.0.1:9/nowhere', secret: 's', attempts: 3, backoffMs: 1 });
    sb.admin.setCompliance({ vendorId: 'ven_acme_peak' }, { status: 'in_progress_compliant' });
    await sb.admin.flushWebhooks();
    sb.admin.setWebhook(undefined);
    const d = sb.admin.deliveries();
    expect(d.map((x) => [x.attempt, x.ok])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
    expect(new Set(d.map((x) => x.eventId)).size).toBe(1);
  });
});
