import { createMycoiSandbox, type MycoiSandbox } from '@mycoi/mycoi-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMycoiClient,
  loginMycoiUser,
  MycoiApiError,
  MycoiDuplicateError,
  MycoiInvalidRecordError,
  RateBudgetExhaustedError,
  type MycoiClient,
} from '../src';

// The client against the sandbox over loopback: every operation, auth, duplicates, bad records.

let sb: MycoiSandbox;
let client: MycoiClient;
const fast = { sleep: async () => {}, retry: { baseDelayMs: 1 } };

beforeAll(async () => {
  sb = await createMycoiSandbox({ lockout: { maxFailures: 3, lockSeconds: 60 } });
  client = createMycoiClient({ baseURL: sb.url, clientId: 'demo-mycoi-client', clientSecret: 'demo-mycoi-secret', ...fast });
});
afterAll(async () => {
  await sb.close();
});

describe('service access', () => {
  it('caches the token and fetches it once for concurrent first calls', async () => {
    const c = createMycoiClient({ baseURL: sb.url, clientId: 'demo-mycoi-client', clientSecret: 'demo-mycoi-secret' });
    sb.clearRequests();
    const results = await Promise.all(Array.from({ length: 8 }, () => c.me()));
    expect(results.every((m) => m.account.id === 'acct-acme' && m.token_kind === 'client' && m.user === null)).toBe(true);
    await c.me();
    expect(sb.requests().filter((r) => r.path === '/oauth/token')).toHaveLength(1);
    expect(c.stats.tokenFetches).toBe(1);
  });

  it('renews an expired token once and retries the call', async () => {
    const c = createMycoiClient({ baseURL: sb.url, clientId: 'demo-mycoi-client', clientSecret: 'demo-mycoi-secret', ...fast });
    await c.me();
    sb.admin.expireTokens();
    const [a, b] = await Promise.all([c.getVendor('ven_acme_bright'), c.getDivision('div_acme_oak')]);
    expect(a.external_id).toBe('70001');
    expect(b.external_id).toBe('5002');
    expect(c.stats.tokenFetches).toBe(2);
  });

  it('wrong client secret fails with a typed error that never shows the secret', async () => {
    const c = createMycoiClient({ baseURL: sb.url, clientId: 'demo-mycoi-client', clientSecret: 'wrong-secret-value', ...fast });
    const err = await c.me().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MycoiApiError);
    expect((err as MycoiApiError).status).toBe(401);
    expect((err as MycoiApiError).apiCode).toBe('invalid_client');
    expect(JSON.stringify(err) + String(err)).not.toContain('wrong-secret-value');
  });
});

describe('user login', () => {
  it('returns the user, account and role; the user token works and sees only its account', async () => {
    const r = await loginMycoiUser({ baseURL: sb.url, email: 'risk@acme.test', password: 'password' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.user).toMatchObject({ email: 'risk@acme.test', account_id: 'acct-acme', role: 'admin' });
    expect(r.expiresInSeconds).toBeLessThanOrEqual(900);
    const asUser = createMycoiClient({ baseURL: sb.url, userToken: r.token });
    expect((await asUser.me()).user?.id).toBe(r.user.id);
    const eve = await loginMycoiUser({ baseURL: sb.url, email: 'eve@other.test', password: 'password' });
    expect(eve.ok && eve.user.account_id).toBe('acct-other');
    if (!eve.ok) return;
    const asEve = createMycoiClient({ baseURL: sb.url, userToken: eve.token });
    const err = await asEve.getVendor('ven_acme_bright').catch((e: unknown) => e);
    expect((err as MycoiApiError).status).toBe(404);
  });

  it('a wrong password gets no token; repeated failures lock the user, even with the right password', async () => {
    sb.clearRequests();
    for (let i = 0; i < 3; i++) {
      expect(await loginMycoiUser({ baseURL: sb.url, email: 'pm@acme.test', password: 'nope' })).toEqual({
        ok: false,
        reason: 'invalid_credentials',
      });
    }
    // One request per attempt: a retried 401 would count twice toward the lockout.
    expect(sb.requests().filter((r) => r.path === '/v1/auth/login')).toHaveLength(3);
    const locked = await loginMycoiUser({ baseURL: sb.url, email: 'pm@acme.test', password: 'password' });
    expect(locked).toMatchObject({ ok: false, reason: 'locked' });
    if (!locked.ok && locked.reason === 'locked') {
      expect(Date.parse(locked.lockedUntil!)).toBeGreaterThan(Date.now());
      expect(locked.retryAfterSec).toBeGreaterThan(0);
    }
    sb.admin.unlockUser('pm@acme.test');
    expect((await loginMycoiUser({ baseURL: sb.url, email: 'pm@acme.test', password: 'password' })).ok).toBe(true);
  });

  it('no token, password or secret ever appears in an error (409 with the existing record, 403)', async () => {
    const r = await loginMycoiUser({ baseURL: sb.url, email: 'risk@acme.test', password: 'password' });
    if (!r.ok) throw new Error('login failed');
    const asUser = createMycoiClient({ baseURL: sb.url, userToken: r.token });
    const dup = await asUser.createVendor({ name: 'Dup', external_id: '70001' }).catch((e: unknown) => e);
    expect((dup as MycoiDuplicateError<{ external_id: string }>).existing.external_id).toBe('70001');
    const viewer = await loginMycoiUser({ baseURL: sb.url, email: 'viewer@acme.test', password: 'password' });
    if (!viewer.ok) throw new Error('login failed');
    const denied = await createMycoiClient({ baseURL: sb.url, userToken: viewer.token })
      .createVendor({ name: 'x' })
      .catch((e: unknown) => e);
    const bad = await createMycoiClient({ baseURL: sb.url, clientId: 'demo-mycoi-client', clientSecret: 'wrong-secret-value', ...fast })
      .me()
      .catch((e: unknown) => e);
    for (const err of [dup, denied, bad]) {
      expect(err).toBeInstanceOf(MycoiApiError);
      const text = `${JSON.stringify(err)} ${String(err)} ${(err as Error).stack}`;
      for (const secret of [r.token, viewer.token, 'wrong-secret-value', 'demo-mycoi-secret']) expect(text).not.toContain(secret);
    }
  });

  it('a viewer may read but not create', async () => {
    const r = await loginMycoiUser({ baseURL: sb.url, email: 'viewer@acme.test', password: 'password' });
    if (!r.ok) throw new Error('login failed');
    const asViewer = createMycoiClient({ baseURL: sb.url, userToken: r.token });
    expect((await asViewer.listVendors()).items.length).toBeGreaterThan(0);
    const err = await asViewer.createVendor({ name: 'Nope' }).catch((e: unknown) => e);
    expect((err as MycoiApiError).status).toBe(403);
  });
});

describe('resources', () => {
  it('divisions: list with search, external_id filter and pages; show; create; duplicate', async () => {
    expect((await client.listDivisions({ q: 'oak' })).items.map((d) => d.id)).toEqual(['div_acme_oak']);
    expect((await client.listDivisions({ externalId: '5001' })).items.map((d) => d.name)).toEqual(['Riverside Medical Center']);
    const p1 = await client.listDivisions({ limit: 2 });
    const p2 = await client.listDivisions({ limit: 2, cursor: p1.nextCursor! });
    expect(p1.items).toHaveLength(2);
    expect(p2.items.map((d) => d.id)).not.toContain(p1.items[0]!.id);
    expect((await client.getDivision('div_acme_corporate')).external_id).toBeNull();
    const d = await client.createDivision({
      name: 'Harbor Warehouse',
      code: 'P-1003',
      external_id: '5003',
      address: { city: 'Long Beach', state: 'CA' },
    });
    expect(d).toMatchObject({ name: 'Harbor Warehouse', external_id: '5003', account_id: 'acct-acme', active: true });
    const dup = await client.createDivision({ name: 'Harbor again', external_id: '5003' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(MycoiDuplicateError);
    expect((dup as MycoiDuplicateError<typeof d>).existing.id).toBe(d.id);
  });

  it('vendors: search, external_id and tax_id filters, show, create, duplicate', async () => {
    expect((await client.listVendors({ q: 'summit' })).items.map((v) => v.external_id)).toEqual(['70002']);
    expect((await client.listVendors({ taxId: '941000006' })).items.map((v) => v.name)).toEqual(['Cascade HVAC Services']);
    expect((await client.listVendors({ externalId: '70003' })).items).toHaveLength(1);
    expect((await client.getVendor('ven_acme_summit')).contacts.length).toBeGreaterThan(0);
    const v = await client.createVendor({
      name: 'Northwind Glass & Glazing',
      external_id: '70007',
      tax_id: '94-7000007',
      contacts: [{ name: 'Office', email: 'office@northwind.test', kind: 'primary' }],
      address: { city: 'Sacramento', state: 'CA' },
    });
    expect(v.registered).toBe(false);
    const comp = await client.getVendorCompliance(v.id);
    expect(comp.status).toEqual({ kind: 'unregistered', label: 'Unregistered' });
    const dup = await client.createVendor({ name: 'Dup', external_id: '70007' }).catch((e: unknown) => e);
    expect((dup as MycoiDuplicateError<typeof v>).existing.name).toBe('Northwind Glass & Glazing');
  });

  it('insurance sets: list, search and show', async () => {
    const sets = await client.listInsuranceSets();
    expect(sets.items.map((s) => s.name)).toEqual(expect.arrayContaining(['Standard Subcontractor', 'Supplier']));
    expect((await client.listInsuranceSets({ q: 'supp' })).items).toHaveLength(1);
    const std = await client.getInsuranceSet('set_acme_std');
    expect(std.requirements.map((r) => r.coverage_type)).toContain('general_liability');
  });

  it('assignments: filters, show, create with contract id/amount, 409 returns the existing record, bad reference is 422', async () => {
    expect((await client.listAssignments({ vendorId: 'ven_acme_bright' })).items.map((a) => a.external_id).sort()).toEqual([
      '900001',
      '900006',
    ]);
    expect((await client.listAssignments({ divisionId: 'div_acme_oak', externalId: '900005' })).items).toHaveLength(1);
    expect((await client.listAssignments({ contractId: 'SC-001' })).items[0]!.id).toBe('asg_acme_0001');
    expect((await client.getAssignment('asg_acme_0004')).vendor_id).toBe('ven_acme_peak');
    const input = {
      vendor_id: 'ven_acme_summit',
      division_id: 'div_acme_riverside',
      insurance_set_id: 'set_acme_std',
      contract_id: 'SC-002',
      external_id: '900002',
      title: 'Concrete',
      amount: 820000,
    };
    const a = await client.createAssignment(input);
    expect(a).toMatchObject({ contract_id: 'SC-002', external_id: '900002', amount: 820000, tracking: 'active' });
    expect((await client.getAssignmentCompliance(a.id)).status.label).toBe('In-Progress; Undecided');
    const dup = await client.createAssignment({ ...input, title: 'Other title' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(MycoiDuplicateError);
    expect((dup as MycoiDuplicateError<typeof a>).existing).toEqual(a);
    // `existing` comes from the error body the shared UpstreamError now carries.
    expect((dup as MycoiDuplicateError<typeof a>).body).toMatchObject({
      error: { code: 'duplicate_external_id', details: { existing: { id: a.id } } },
    });
    const bad = await client.createAssignment({ ...input, external_id: '999', insurance_set_id: 'set_other_std' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 422, apiCode: 'invalid_reference', details: { field: 'insurance_set_id' } });
  });

  it('compliance: single records at both levels', async () => {
    const v = await client.getVendorCompliance('ven_acme_summit');
    expect(v).toMatchObject({
      level: 'vendor',
      assignment_id: null,
      status: { kind: 'reviewed', review_state: 'finalized', outcome: 'non_compliant' },
    });
    expect(v.deficiencies.length).toBeGreaterThan(0);
    expect(v.coverage_lines[0]!.limits.find((l) => l.kind === 'each_occurrence')?.amount).toBe(500_000);
    const a = await client.getAssignmentCompliance('asg_acme_0005');
    expect(a).toMatchObject({
      level: 'assignment',
      assignment_id: 'asg_acme_0005',
      division_id: 'div_acme_oak',
      insurance_set_id: 'set_acme_high',
    });
    expect(a.coverage_lines.map((l) => l.status)).toContain('missing');
    expect(await client.getAssignmentCompliance('asg_other_0001').catch((e: MycoiApiError) => e.status)).toBe(404);
  });

  it('a bad record in a page is skipped and reported; a bad single record is a typed error', async () => {
    const reported: string[] = [];
    const c = createMycoiClient({
      baseURL: sb.url,
      clientId: 'demo-mycoi-client',
      clientSecret: 'demo-mycoi-secret',
      onInvalid: (_p, bad) => reported.push(String(bad.id)),
    });
    const rec = sb.state.compliance.get('cmp_v_ven_acme_harbor')!;
    const saved = rec.status;
    (rec as { status: unknown }).status = { kind: 'mystery', label: '?' };
    try {
      const pages = [];
      for await (const p of c.compliancePages({ limit: 5 })) pages.push(p);
      const ids = pages.flatMap((p) => p.records.map((r) => r.id));
      expect(ids).not.toContain('cmp_v_ven_acme_harbor');
      expect(ids).toContain('cmp_v_ven_acme_bright');
      expect(reported).toEqual(['cmp_v_ven_acme_harbor']);
      await expect(c.getVendorCompliance('ven_acme_harbor')).rejects.toBeInstanceOf(MycoiInvalidRecordError);
    } finally {
      rec.status = saved;
    }
  });
});

describe('rate budget (myCOI X-RateLimit-* headers)', () => {
  it('tracks the window, tells whether n calls fit, and stops before a 429 when asked to', async () => {
    const small = await createMycoiSandbox({ rateLimit: { limit: 4, windowSec: 60 } });
    try {
      const c = createMycoiClient({
        baseURL: small.url,
        clientId: 'demo-mycoi-client',
        clientSecret: 'demo-mycoi-secret',
        onBudgetExhausted: 'throw',
      });
      expect(c.canSpend(1000)).toBe(true); // nothing known before the first answer
      await c.me();
      expect([c.budget.limit, c.budget.remaining]).toEqual([4, 3]);
      expect(c.canSpend(3)).toBe(true);
      expect(c.canSpend(4)).toBe(false);
      await Promise.all([c.listVendors(), c.getVendor('ven_acme_bright'), c.listDivisions()]);
      expect(c.canSpend(1)).toBe(false);
      small.clearRequests();
      await expect(c.me()).rejects.toBeInstanceOf(RateBudgetExhaustedError);
      expect(small.requests()).toHaveLength(0); // stopped before sending: no 429 was provoked
    } finally {
      await small.close();
    }
  });
});
