import type { Express } from 'express';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '@mycoi/mycoi-sandbox';
import { createSession, COOKIE } from '../src/auth/sessions';
import { upsertOpsUser } from '../src/auth/ops-users';
import { secretHash } from '@mycoi/events';
import { seedPanelTenant } from './panel-fixtures';
import { panelToken as signedInPanel } from './panel-flow';
import { startTestServer, type TestServer } from './support/server';
import { mycoiComplianceDelivery, procoreDelivery } from './support/deliveries';

// Property-based fuzzing of EVERY route of the app (issue 16 acceptance). The routes are read from
// the express router stack, so a route added later is fuzzed without touching this file. Each
// request carries generated path parameters, query, headers and body — NUL, lone surrogates, huge
// strings, deep nesting, wrong types, malformed JSON — and, most of the time, the credentials the
// route needs (admin and ops cookies, a panel bearer token, the Procore hook secret, a valid myCOI
// signature over the generated body), so the input reaches the handlers and the database.
// Property: never a 5xx, and every error in the one shape { error: { code, message, details? } }.
// Runs on PGlite, and on PostgreSQL when DATABASE_URL is set (startTestServer → createTestDatabase).

const RUNS_PER_ROUTE = 36;
const SEED = 16_016; // fixed, so a failure reproduces; change it to explore further
const MYCOI_SECRET = 'fuzz-mycoi-webhook-secret-0123456789';
const HOOK_SECRET = 'Bearer fuzz-procore-hook-secret-0123456789';

interface RouteDef {
  method: string;
  path: string;
}

let s: TestServer;
let acme: string; // the panel's tenant (kept active: ops routes fuzz another tenant)
let target: string; // the tenant ops routes act on
let opsCookie: string;
let adminCookie: string;
let panelToken: string;
let hookAuth: string; // the Procore hook's Authorization value for the panel tenant
let sent = 0;
const failures: string[] = [];
/** status → count, to see the input reaches handlers (2xx, 404s, 409s) and not only the edge check */
const statuses = new Map<number, number>();

/** Every route the app serves, read from express's router stack (nested routers included). */
function routesOf(app: Express): RouteDef[] {
  const out: RouteDef[] = [];
  const walk = (stack: unknown[]) => {
    for (const layer of stack as { route?: { path: unknown; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }[]) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths)
          if (typeof p === 'string') for (const m of Object.keys(layer.route.methods)) out.push({ method: m.toUpperCase(), path: p });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: unknown[] } }).router.stack);
  return out;
}

// ---- generators ---------------------------------------------------------------------------------

const HOSTILE = [
  '',
  ' ',
  'x\u0000y',
  '\u0000',
  'a\ud800',
  '\udc00b',
  'ok\ud800\udc00',
  '\ud83d\ude00',
  '%00',
  '%ED%A0%80',
  '..',
  '../../etc/passwd',
  "' or 1=1 --",
  '<script>alert(1)</script>',
  '\\u0000',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9'.repeat(40),
  '__proto__',
  'constructor',
  'A'.repeat(5_000),
  '1001',
  '5001',
  '70001',
  '2002',
  'ven_acme_bright',
  'acct-acme',
  'tenant',
  'shared',
  'vendor',
  'project',
  'commitment',
];
const KEYS = [
  'kind',
  'projectId',
  'procoreId',
  'mycoiId',
  'vendorId',
  'commitmentId',
  'name',
  'settings',
  'approvedStatuses',
  'features',
  'compliancePush',
  'sidePanel',
  'complianceLevel',
  'procoreEnvironment',
  'clientId',
  'clientSecret',
  'source',
  'accountId',
  'reason',
  'email',
  'password',
  'grant',
  'companyId',
  'id',
  'type',
  'account_id',
  'created_at',
  'data',
  'record',
  'ulid',
  'company_id',
  'user_id',
  'resource_name',
  'resource_id',
  'event_type',
  'timestamp',
  'metadata',
  'insuranceSetId',
  'q',
  'status',
  'code',
  'state',
  'note',
  '__proto__',
  'constructor',
  'k\u0000',
  'k\ud800',
];

/** A plausible string with one NUL or lone surrogate somewhere in it: what breaks text and jsonb columns. */
const poisoned = fc
  .tuple(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('\u0000', '\ud800', '\udc00', '\udbff', '\u0000\ud800'),
    fc.string({ maxLength: 12 }),
  )
  .map(([a, bad, b]) => a + bad + b);
const hostileString = fc.oneof(
  { weight: 4, arbitrary: poisoned },
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) }, // any code point, lone surrogates too
  { weight: 1, arbitrary: fc.nat({ max: 300_000 }).map((n) => 'x'.repeat(n)) },
);
const leaf = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt().map(String));
const key = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 1, arbitrary: hostileString.map((k) => k.slice(0, 50)) },
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 8 }),
}));
const deep = fc.integer({ min: 20, max: 3_000 }).map((n) => '['.repeat(n) + ']'.repeat(n));

/** A body as raw text: JSON of generated values, deep nesting, malformed JSON, or nothing. */
const body = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(key, value, { maxKeys: 10 }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: value.map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: deep },
  {
    weight: 1,
    arbitrary: fc.constantFrom('{', '{"a":', 'not json', '[1,2', '"\\ud800"', '{"a":"\\u0000"}', '\u0000', '{"__proto__":{"x":1}}'),
  },
  { weight: 1, arbitrary: fc.constant(`{"x":"${'y'.repeat(1_100_000)}"}`) }, // over BODY_LIMIT
  { weight: 2, arbitrary: fc.constant(undefined) },
);

/** Percent-encodes a path segment or query value; a lone surrogate becomes invalid UTF-8 on the wire. */
function encode(v: string): string {
  return v.replace(/[\ud800-\udbff][\udc00-\udfff]|[\s\S]/g, (ch) => {
    if (ch.length === 1 && ch >= '\ud800' && ch <= '\udfff') return '%ED%A0%80';
    return /[A-Za-z0-9_.~-]/.test(ch) ? ch : encodeURIComponent(ch);
  });
}

const asciiValue = fc.oneof(
  fc.constantFrom('', 'x', 'a'.repeat(70), '1.2.3.4', '10.0.0.1, 1.2.3.4', 'not-an-ip', 'key-0001', '%00', '../'),
  fc.string({ unit: 'binary-ascii', maxLength: 80 }).map((v) => v.replace(/[^\x20-\x7e]/g, '')),
);
const headers = fc.dictionary(
  fc.constantFrom(
    'x-request-id',
    'idempotency-key',
    'x-forwarded-for',
    'accept',
    'if-none-match',
    'mycoi-event-id',
    'mycoi-event-type',
    'x-unknown',
  ),
  asciiValue,
  { maxKeys: 4 },
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=latin1',
  '',
);
const query = fc.dictionary(
  fc.constantFrom('q', 'status', 'projectId', 'companyId', 'kind', 'code', 'state', 'error', 'cursor', 'limit', 'page', 'returnTo', 'x'),
  hostileString.map((v) => v.slice(0, 200)),
  { maxKeys: 4 },
); // short: a URL over 16 KB is refused by Node itself, before the app

interface Generated {
  params: Record<string, string | null>; // null = the valid value
  query: Record<string, string>;
  headers: Record<string, string>;
  contentType: string;
  body: string | undefined;
  authenticated: boolean;
}

function generated(route: RouteDef): fc.Arbitrary<Generated> {
  const ex = EXAMPLES[`${route.method} ${route.path}`];
  const names = [...route.path.matchAll(/[:*]\{?(\w+)/g)].map((m) => m[1]!);
  const param = fc.option(
    hostileString.map((v) => v.slice(0, 200)),
    { freq: 2 },
  ); // null half the time or so: the valid value
  return fc.record({
    params: fc.tuple(...names.map(() => param)).map((vals) => Object.fromEntries(names.map((n, i) => [n, vals[i] ?? null]))),
    query: ex?.query ? fc.oneof({ weight: 3, arbitrary: poisonedQuery(ex.query) }, { weight: 1, arbitrary: query }) : query,
    headers,
    contentType: ex?.body
      ? fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: contentType })
      : contentType,
    body:
      route.method === 'GET' || route.method === 'DELETE'
        ? fc.constant(undefined)
        : ex?.body
          ? fc.oneof({ weight: 3, arbitrary: poisonedExample(ex.body, route) }, { weight: 1, arbitrary: body })
          : body,
    authenticated: fc.integer({ min: 0, max: 9 }).map((n) => n < 8), // mostly signed in
  });
}

// ---- valid examples, poisoned one field at a time ----------------------------------------------
// Random bodies rarely get past a route's schema; a valid body with ONE field replaced (or one extra
// field added) reaches the handler and the database. Routes without an example still get the
// generic bodies above, so a new route is fuzzed either way; an example only makes it deeper.

const procoreExample = (n: number) =>
  procoreDelivery({ id: 9_100_000 + n, ulid: `01JFUZZ${String(n).padStart(19, '0')}`, resourceId: 700 + n });
const mycoiExample = (n: number) =>
  mycoiComplianceDelivery({ id: `evt_fuzz_${n}`, account: 'acct-acme', recordId: `cr_fuzz_${n}`, vendorId: 'ven_acme_bright', version: n });
const transition = { body: [{ reason: 'checked with the customer' }, {}] };
const EXAMPLES: Record<string, { body?: unknown[]; query?: Record<string, string>[] }> = {
  'GET /api/admin/auth/procore': { query: [{ companyId: '1001', returnTo: '/console/' }] },
  'GET /api/admin/auth/procore/callback': { query: [{ code: 'code-1234', state: 'state-1234' }] },
  'POST /api/admin/companies/:companyId/register': { body: [{ procoreEnvironment: 'local' }, {}] },
  'PUT /api/admin/companies/:companyId/credentials': {
    body: [{ source: 'tenant', clientId: 'client-1234', clientSecret: 'secret-1234' }, { source: 'shared' }],
  },
  'PUT /api/admin/companies/:companyId/settings': {
    body: [
      { settings: { approvedStatuses: ['Approved', 'Complete'] } },
      { features: { compliancePush: true, sidePanel: true }, complianceLevel: 'vendor' },
    ],
  },
  'POST /api/ops/login': { body: [{ email: 'someone@mycoi.test', password: 'a-password' }] },
  'GET /api/ops/tenants': { query: [{ q: 'acme' }, { status: 'active', q: '1001' }] },
  'PUT /api/ops/tenants/:id/mycoi': {
    body: [
      { accountId: 'acct-other', clientId: 'client-1234', clientSecret: 'secret-1234' },
      { accountId: 'acct-other', clientId: 'client-5678' },
    ],
  },
  'POST /api/ops/tenants/:id/activate': transition,
  'POST /api/ops/tenants/:id/suspend': transition,
  'POST /api/ops/tenants/:id/resume': transition,
  'POST /api/ops/tenants/:id/deactivate': transition,
  'GET /api/panel/auth/procore/start': { query: [{ companyId: '1001' }] },
  'GET /api/panel/auth/procore/callback': { query: [{ code: 'code-1234', state: 'state-1234' }] },
  'POST /api/panel/session': {
    body: [{ grant: 'g'.repeat(43), companyId: '1001', projectId: '5001', email: 'risk@acme.test', password: 'password' }],
  },
  'GET /api/panel/config': { query: [{ companyId: '1001' }] },
  'GET /api/panel/status': { query: [{ companyId: '1001' }] },
  'GET /api/panel/commitments/:id': { query: [{ projectId: '5001' }] },
  'GET /api/panel/vendors/:id': { query: [{ projectId: '5001' }] },
  'GET /api/panel/search': {
    query: [
      { kind: 'vendor', q: 'bright' },
      { kind: 'project', q: '' },
    ],
  },
  'POST /api/panel/link': { body: [{ kind: 'vendor', projectId: '5001', procoreId: '70001', mycoiId: 'ven_acme_bright' }] },
  'POST /api/panel/create': {
    body: [{ kind: 'vendor', projectId: '5001', vendorId: '70002', name: 'Fuzz Vendor', email: '', address: null }],
  },
  'POST /api/panel/refresh': { body: [{ kind: 'vendor', projectId: '5001', procoreId: '70001' }] },
  'POST /webhooks/procore/:tenantKey': { body: [procoreExample(0)] },
  'POST /webhooks/mycoi': { body: [mycoiExample(0)] },
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** Every place in a value a leaf can be swapped or a key added: paths of keys/indexes. */
function places(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (v !== null && typeof v === 'object') {
    const own = Object.entries(v).flatMap(([k, child]) => places(child, [...at, Array.isArray(v) ? Number(k) : k]));
    return [at, ...own];
  }
  return [at];
}
function withAt(v: unknown, path: (string | number)[], replacement: unknown, extra: boolean): unknown {
  const copy = structuredClone(v) as Json;
  if (path.length === 0)
    return extra && copy && typeof copy === 'object' && !Array.isArray(copy) ? { ...copy, note: replacement } : replacement;
  let cur = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  const node = cur[last];
  if (extra && node && typeof node === 'object' && !Array.isArray(node)) (node as Record<string, unknown>).note = replacement;
  else cur[last] = replacement;
  return copy;
}
/** An example with one place poisoned; a unique id per run so webhook deliveries are not duplicates. */
function poisonedExample(examples: unknown[], route: RouteDef): fc.Arbitrary<string> {
  return fc
    .record({
      ex: fc.constantFrom(...examples),
      pick: fc.nat(),
      replacement: fc.oneof({ weight: 3, arbitrary: poisoned }, { weight: 2, arbitrary: value }),
      extra: fc.boolean(),
      n: fc.nat(),
    })
    .map(({ ex, pick, replacement, extra, n }) => {
      const base = route.path.startsWith('/webhooks/procore')
        ? procoreExample(n + 1)
        : route.path === '/webhooks/mycoi'
          ? mycoiExample(n + 1)
          : ex;
      const all = places(base);
      return JSON.stringify(withAt(base, all[pick % all.length]!, replacement, extra));
    });
}
function poisonedQuery(examples: Record<string, string>[]): fc.Arbitrary<Record<string, string>> {
  return fc
    .record({ ex: fc.constantFrom(...examples), pick: fc.nat(), replacement: hostileString.map((v) => v.slice(0, 200)) })
    .map(({ ex, pick, replacement }) => {
      const keys = Object.keys(ex);
      return { ...ex, [keys[pick % keys.length] ?? 'q']: replacement };
    });
}

// ---- sending ------------------------------------------------------------------------------------

function validParam(route: RouteDef, name: string): string {
  if (name === 'companyId') return '3003';
  if (name === 'tenantKey') return acme;
  if (name === 'id') return route.path.startsWith('/api/ops/') ? target : route.path.includes('vendors') ? '70001' : '900001';
  return 'x';
}

function buildPath(route: RouteDef, g: Generated): string {
  return route.path.replace(/\{?[:*](\w+)\}?/g, (_whole, name: string) => encode(g.params[name] ?? validParam(route, name)) || 'x');
}

async function authFor(route: RouteDef, bodyText: string | undefined): Promise<Record<string, string>> {
  const path = route.path;
  const pool = s.running.db.pool;
  // signing out must not end the sessions the other routes are fuzzed with: a fresh one each time
  if (path === '/api/admin/logout')
    return {
      cookie: `${COOKIE.admin}=${(await createSession({ pool, sessionSecret: s.running.config.sessionSecret }, 'admin', 'u-fuzz', { user: { id: 'u-fuzz', login: 'fuzz@acme.test', name: 'Fuzz' }, companies: [] })).token}`,
    };
  if (path === '/api/ops/logout')
    return {
      cookie: `${COOKIE.ops}=${(await createSession({ pool, sessionSecret: s.running.config.sessionSecret }, 'ops', 'fuzz-ops@mycoi.test', {})).token}`,
    };
  if (path === '/api/panel/session' && route.method === 'DELETE')
    return { authorization: 'Bearer not-the-fuzz-session-token-0000000000000' };
  if (path.startsWith('/api/admin')) return { cookie: `${COOKIE.admin}=${adminCookie}` };
  if (path.startsWith('/api/ops')) return { cookie: `${COOKIE.ops}=${opsCookie}` };
  if (path.startsWith('/api/panel')) return { authorization: `Bearer ${panelToken}` };
  if (path.startsWith('/webhooks/procore')) return { authorization: hookAuth };
  if (path.startsWith('/webhooks/mycoi')) {
    let id = 'evt_none';
    try {
      const parsed = JSON.parse(bodyText ?? '') as { id?: unknown };
      if (typeof parsed?.id === 'string' && /^[\x20-\x7e]*$/.test(parsed.id)) id = parsed.id;
    } catch {
      /* not JSON: the signature still verifies, the payload check refuses it */
    }
    return {
      'mycoi-signature': signWebhook(MYCOI_SECRET, bodyText ?? '', Math.floor(Date.now() / 1000)),
      'mycoi-event-id': id || 'evt_none',
      'mycoi-event-type': 'compliance.updated',
    };
  }
  return {};
}

async function send(route: RouteDef, g: Generated): Promise<void> {
  const path = buildPath(route, g);
  const qs = Object.entries(g.query)
    .map(([k, v]) => `${k}=${encode(v)}`)
    .join('&');
  const url = `${s.url}${path}${qs ? `?${qs}` : ''}`;
  const hdrs: Record<string, string> = { ...g.headers, ...(g.authenticated ? await authFor(route, g.body) : {}) };
  if (g.body !== undefined && g.contentType) hdrs['content-type'] = g.contentType;
  sent += 1;
  const res = await fetch(url, { method: route.method, headers: hdrs, body: g.body, redirect: 'manual' });
  const text = await res.text();
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  const what = `${route.method} ${route.path} → ${res.status} (${url.slice(0, 200)}): ${text.slice(0, 300)}`;
  if (res.status >= 500) failures.push(what);
  expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    const e = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } })?.error;
    const keys = e ? Object.keys(parsed as object) : [];
    expect(typeof e?.code === 'string' && typeof e.message === 'string' && keys.length === 1, `not the one error shape: ${what}`).toBe(
      true,
    );
  }
}

/**
 * The service registers the active tenant's Procore hook on its own (boot check, repair): then the
 * secret is the one the sandbox was given. If nothing registers it within a few seconds, the test
 * stores a hook row with a secret of its own.
 */
async function procoreHookAuth(pool: TestServer['running']['db']['pool']): Promise<string> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const row = async () => (await pool.query<{ state: string }>('select state from procore_hooks where tenant_id = $1', [acme])).rows[0];
  for (let i = 0; i < 25 && !(await row()); i++) await sleep(200);
  if (await row()) {
    for (let i = 0; i < 100; i++) {
      const hook = [...s.procore.state.hooks.values()].find((h) => h.destination_url.includes(acme));
      if (hook && (await row())?.state === 'registered') return Object.values(hook.destination_headers)[0]!;
      await sleep(200);
    }
    throw new Error('the Procore hook of the panel tenant was not registered');
  }
  await pool.query(
    `insert into procore_hooks (tenant_id, procore_company_id, secret_hash, service_user_id, service_client_id, state)
     values ($1, '1001', $2, '4242', 'demo-dmsa-client', 'registered')`,
    [acme, secretHash(HOOK_SECRET)],
  );
  return HOOK_SECRET;
}

// ---- the suite ----------------------------------------------------------------------------------

beforeAll(async () => {
  s = await startTestServer({ env: { MYCOI_WEBHOOK_SECRET: MYCOI_SECRET, EVENTS_COALESCE_MS: '60000' } });
  const pool = s.running.db.pool;
  acme = await seedPanelTenant(pool, s.running.config);
  target = await seedPanelTenant(pool, s.running.config, {
    companyId: '2002',
    name: 'Fuzz Target',
    mycoiAccount: 'acct-other',
    status: 'awaiting_activation',
  });
  hookAuth = await procoreHookAuth(pool);
  adminCookie = (
    await createSession({ pool, sessionSecret: s.running.config.sessionSecret }, 'admin', 'u-fuzz', {
      user: { id: 'u-fuzz', login: 'fuzz@acme.test', name: 'Fuzz' },
      companies: [{ id: '3003', name: 'Fuzz Co' }],
    })
  ).token;
  await upsertOpsUser(pool, 'fuzz-ops@mycoi.test', 'a-long-fuzz-password');
  const login = await fetch(`${s.url}/api/ops/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'fuzz-ops@mycoi.test', password: 'a-long-fuzz-password' }),
  });
  opsCookie = /mycoi_ops=([^;]+)/.exec(login.headers.getSetCookie().join(';'))![1]!;
  panelToken = await signedInPanel(s);
}, 120_000);

afterAll(async () => {
  // stated for the report: how many requests the suite sent
  const tally = [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
  console.info(`fuzz: ${sent} requests, ${failures.length} × 5xx; statuses ${tally}`);
  await s?.close();
});

describe('fuzzing every route', () => {
  it('covers the routes of every feature (the router stack is read, not listed by hand)', () => {
    const routes = routesOf(s.running.server.listeners('request')[0] as Express);
    const prefixes = new Set(routes.map((r) => r.path.split('/').slice(0, 3).join('/')));
    for (const p of ['/api/admin', '/api/ops', '/api/panel', '/webhooks/procore', '/webhooks/mycoi', '/healthz'])
      expect(prefixes).toContain(p);
    expect(routes.length).toBeGreaterThan(40);
  });

  it('never answers 5xx, and every error is in the one shape', async () => {
    const routes = routesOf(s.running.server.listeners('request')[0] as Express);
    for (const route of routes) {
      s.procore.rateLimits.reset(); // each route starts with a fresh upstream hour; the limit itself stays strict
      await fc.assert(
        fc.asyncProperty(generated(route), (g) => send(route, g)),
        { numRuns: RUNS_PER_ROUTE, seed: SEED, endOnFailure: true },
      );
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(routes.length * RUNS_PER_ROUTE);
  }, 900_000);

  it('a poisoned webhook in a batch of valid ones fails only itself', async () => {
    let n = 0;
    const delivery = (note?: string) => {
      n += 1;
      const event = {
        ...procoreDelivery({ id: 8_800_000 + n, ulid: `01JFUZZBATCH${String(n).padStart(14, '0')}`, resourceId: 600 + n }),
        ...(note === undefined ? {} : { note }),
      };
      sent += 1;
      return fetch(`${s.url}/webhooks/procore/${acme}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: hookAuth },
        body: JSON.stringify(event),
      });
    };
    const batch = [
      ...Array.from({ length: 15 }, () => delivery()),
      delivery('x\u0000y'),
      delivery('a\ud800'),
      ...Array.from({ length: 15 }, () => delivery()),
    ];
    const statuses = (await Promise.all(batch)).map((r) => r.status);
    expect(statuses.filter((st) => st === 200)).toHaveLength(30);
    // Procore pauses a hook's queue on any non-2xx: the poisoned two are kept unparsed (202), not stored as events
    expect([statuses[15], statuses[16]]).toEqual([202, 202]);
    const events = await s.running.db.pool.query("select count(*)::int as n from webhook_events where event_id like '01JFUZZBATCH%'");
    expect(events.rows[0].n).toBe(30);
  });
});
