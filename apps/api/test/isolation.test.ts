import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableOpsUser, upsertOpsUser } from '../src/auth/ops-users';
import { startTestServer, type TestServer } from './support/server';
import { seedPanelTenant } from './panel-fixtures';
import { api, panelToken } from './panel-flow';
import { approveAtProcore } from './support/consent';

// Issue 16, acceptance: every panel, admin and ops route × (no session, other company, other
// project, disabled user, revoked session) → refused, with the right status, in the one error
// shape. The route list is checked against the source so a new route cannot skip the table.
// Real service, real database, real Procore and myCOI sandboxes (users removed from a company in
// the Procore sandbox, ops users disabled in the database).

type Case = 'none' | 'otherCompany' | 'otherProject' | 'disabled' | 'revoked';
type Family = 'panel' | 'admin' | 'ops';
interface Call {
  path: string;
  body?: unknown;
}
interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** As written in the source, e.g. /api/panel/vendors/:id */
  route: string;
  family: Family;
  /** What a legitimate caller of the session's own company / project would send. */
  own: Call;
  /** The same route naming another company's records; null = the route names none (why in `na`). */
  otherCompany?: Call | null;
  otherProject?: Call | null;
  /** Cases that do not apply to this route, with the reason. */
  na?: Partial<Record<Case, string>>;
}

// Routes that are public by design (sign-in steps, sign-out, configuration before sign-in).
const PUBLIC: Record<string, string> = {
  'GET /api/panel/config': 'frame origins and views, needed before sign-in',
  'GET /api/panel/status': 'tells an unsigned panel whether the company is set up',
  'GET /api/panel/auth/procore/start': 'first step of the Procore sign-in',
  'GET /api/panel/auth/procore/callback': 'Procore sign-in callback (state checked)',
  'POST /api/panel/session': 'the sign-in itself (grant + myCOI password); refusals tested in panel-auth.test.ts',
  'GET /api/admin/auth/procore': 'first step of the Procore sign-in',
  'GET /api/admin/auth/procore/callback': 'Procore sign-in callback (state + nonce cookie checked)',
  'POST /api/admin/logout': 'ends whatever session the cookie names; idempotent',
  'POST /api/ops/login': 'the sign-in itself (throttled)',
  'POST /api/ops/logout': 'ends whatever session the cookie names; idempotent',
};

let s: TestServer;
let acme: string;
let other: string;

const noIds = "names no Procore id: it reads only the session's own tenant";
const companyLevel = 'company-level route: there is no project to step outside of';
const opsGlobal = 'ops staff act across every tenant by design';

function routes(): Route[] {
  const t = acme;
  const vendorBody = (projectId: string, vendorId: string) => ({ kind: 'vendor', projectId, vendorId, name: 'Isolation Test Vendor' });
  const panel: Route[] = [
    {
      method: 'GET',
      route: '/api/panel/insurance-sets',
      family: 'panel',
      own: { path: '/api/panel/insurance-sets' },
      na: { otherCompany: noIds, otherProject: noIds },
    },
    {
      method: 'GET',
      route: '/api/panel/search',
      family: 'panel',
      own: { path: '/api/panel/search?kind=vendor&q=' },
      na: { otherCompany: noIds, otherProject: noIds },
    },
    {
      method: 'GET',
      route: '/api/panel/commitments/:id',
      family: 'panel',
      own: { path: '/api/panel/commitments/900001?projectId=5001' },
      otherCompany: { path: '/api/panel/commitments/900001?projectId=5001' }, // Acme's, asked by Other GC's session
      otherProject: { path: '/api/panel/commitments/900005?projectId=5002' },
    },
    {
      method: 'GET',
      route: '/api/panel/vendors/:id',
      family: 'panel',
      own: { path: '/api/panel/vendors/70001?projectId=5001' },
      otherCompany: { path: '/api/panel/vendors/70001?projectId=5001' },
      otherProject: { path: '/api/panel/vendors/70005?projectId=5001' }, // 70005 is only in 5002's directory
    },
    {
      method: 'POST',
      route: '/api/panel/create',
      family: 'panel',
      own: { path: '/api/panel/create', body: vendorBody('5001', '70001') },
      otherCompany: { path: '/api/panel/create', body: vendorBody('5001', '70001') },
      otherProject: { path: '/api/panel/create', body: vendorBody('5002', '70005') },
    },
    {
      method: 'POST',
      route: '/api/panel/link',
      family: 'panel',
      own: { path: '/api/panel/link', body: { kind: 'vendor', projectId: '5001', procoreId: '70001', mycoiId: 'ven_acme_bright' } },
      otherCompany: {
        path: '/api/panel/link',
        body: { kind: 'vendor', projectId: '5001', procoreId: '70001', mycoiId: 'ven_acme_bright' },
      },
      otherProject: { path: '/api/panel/link', body: { kind: 'project', projectId: '5001', procoreId: '5002', mycoiId: 'div_x' } },
    },
    {
      method: 'POST',
      route: '/api/panel/refresh',
      family: 'panel',
      own: { path: '/api/panel/refresh', body: { kind: 'vendor', projectId: '5001', procoreId: '70001' } },
      otherCompany: { path: '/api/panel/refresh', body: { kind: 'vendor', projectId: '5001', procoreId: '70001' } },
      otherProject: { path: '/api/panel/refresh', body: { kind: 'commitment', projectId: '5001', procoreId: '900005' } },
    },
    ...(['GET /api/panel/session', 'POST /api/panel/session/renew'] as const).map((mr): Route => {
      const [method, route] = mr.split(' ') as ['GET' | 'POST', string];
      return {
        method,
        route,
        family: 'panel',
        own: { path: route, body: method === 'POST' ? {} : undefined },
        na: { otherCompany: 'acts on the session itself', otherProject: 'acts on the session itself' },
      };
    }),
    {
      method: 'DELETE',
      route: '/api/panel/session',
      family: 'panel',
      own: { path: '/api/panel/session' },
      na: {
        otherCompany: 'acts on the session itself',
        otherProject: 'acts on the session itself',
        disabled: 'signing out stays possible (it only ends the session)',
      },
    },
  ];
  const company = (cid: string, sub = '') => `/api/admin/companies/${cid}${sub}`;
  const admin: Route[] = [
    {
      method: 'GET',
      route: '/api/admin/session',
      family: 'admin',
      own: { path: '/api/admin/session' },
      na: { otherCompany: 'names no company', otherProject: companyLevel },
    },
    ...(
      [
        ['GET', '', undefined],
        ['POST', '/register', {}],
        ['PUT', '/credentials', { clientId: 'some-client-id', clientSecret: 'some-client-secret' }],
        ['POST', '/validate', {}],
        ['PUT', '/settings', { settings: {} }],
        ['POST', '/request-activation', {}],
        ['GET', '/audit', undefined],
        ['GET', '/sync', undefined],
        ['POST', '/sync-now', {}],
      ] as const
    ).map(([method, sub, body]): Route => ({
      method,
      route: `/api/admin/companies/:companyId${sub}`,
      family: 'admin',
      own: { path: company('1001', sub), body },
      otherCompany: { path: company('2002', sub), body },
      na: { otherProject: companyLevel },
    })),
  ];
  const tenant = (sub = '') => `/api/ops/tenants/${t}${sub}`;
  const ops: Route[] = (
    [
      ['GET', '/api/ops/me', '/api/ops/me', undefined],
      ['GET', '/api/ops/tenants', '/api/ops/tenants', undefined],
      ['GET', '/api/ops/tenants/:id', tenant(), undefined],
      ['PUT', '/api/ops/tenants/:id/mycoi', tenant('/mycoi'), { accountId: 'acct-acme', clientId: 'c-123456' }],
      ['POST', '/api/ops/tenants/:id/mycoi/test', tenant('/mycoi/test'), {}],
      ['POST', '/api/ops/tenants/:id/activate', tenant('/activate'), {}],
      ['POST', '/api/ops/tenants/:id/suspend', tenant('/suspend'), { reason: 'isolation test' }],
      ['POST', '/api/ops/tenants/:id/resume', tenant('/resume'), {}],
      ['POST', '/api/ops/tenants/:id/deactivate', tenant('/deactivate'), {}],
      ['POST', '/api/ops/tenants/:id/sync-now', tenant('/sync-now'), {}],
      ['GET', '/api/ops/tenants/:id/sync', tenant('/sync'), undefined],
      ['GET', '/api/ops/tenants/:id/audit', tenant('/audit'), undefined],
      ['GET', '/api/ops/tenants/:id/events', tenant('/events'), undefined],
      ['GET', '/api/ops/outbox', '/api/ops/outbox', undefined],
    ] as const
  ).map(([method, route, p, body]): Route => ({
    method,
    route,
    family: 'ops',
    own: { path: p, body },
    // "other company" for ops: a customer admin's session (another realm) must not pass as ops
    otherCompany: { path: p, body },
    na: { otherProject: opsGlobal },
  }));
  return [...panel, ...admin, ...ops];
}

/** Every /api/panel|admin|ops route the source declares, as "METHOD /path". */
function declaredRoutes(): string[] {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
    });
  const out = new Set<string>();
  for (const f of files(root)) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\br\.(get|post|put|delete|patch)\(\s*(['`])(\/api\/(?:panel|admin|ops)[^'`]*)\2/g)) {
      const route = m[3]!;
      // the ops lifecycle actions are declared once in a loop: `/api/ops/tenants/:id/${path}`
      const expanded = route.includes('${path}')
        ? ['activate', 'suspend', 'resume', 'deactivate'].map((a) => route.replace('${path}', a))
        : [route];
      for (const e of expanded) out.add(`${m[1]!.toUpperCase()} ${e}`);
    }
  }
  return [...out].sort();
}

// --- sessions --------------------------------------------------------------------------------

const membership = (userId: number, companyId: number) => {
  const user = s.procore.state.users.get(userId)!;
  const saved = user.companies.get(companyId)!;
  return { remove: () => user.companies.delete(companyId), restore: () => user.companies.set(companyId, saved) };
};

async function adminCookie(login: string, companyId: string): Promise<string> {
  const start = await fetch(`${s.url}/api/admin/auth/procore?companyId=${companyId}`, { redirect: 'manual' });
  const nonce = start.headers
    .getSetCookie()
    .find((c) => c.startsWith('mycoi_oauth='))!
    .split(';')[0]!;
  const callback = await approveAtProcore(start.headers.get('location')!, login);
  const cb = await fetch(callback, { headers: { cookie: nonce }, redirect: 'manual' });
  const cookie = cb.headers.getSetCookie().find((c) => c.startsWith('mycoi_admin='));
  if (!cookie) throw new Error(`admin sign-in failed: ${cb.headers.get('location')}`);
  return cookie.split(';')[0]!;
}

let opsN = 0;
async function opsCookie(): Promise<{ cookie: string; email: string }> {
  const email = `ops-${++opsN}@mycoi.test`;
  await upsertOpsUser(s.running.db.pool, email, 'a-long-ops-password');
  const res = await fetch(`${s.url}/api/ops/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'a-long-ops-password' }),
  });
  expect(res.status).toBe(200);
  return {
    cookie: res.headers
      .getSetCookie()
      .find((c) => c.startsWith('mycoi_ops='))!
      .split(';')[0]!,
    email,
  };
}

const sam = () => panelToken(s, { login: 'sam@acme.test', projectId: '5001' });

let keyN = 0;
async function call(r: Route, c: Call, auth: { bearer?: string; cookie?: string }): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  if (c.body !== undefined) headers['content-type'] = 'application/json';
  if (r.family === 'panel' && r.method === 'POST') headers['idempotency-key'] = `isolation-key-${++keyN}`;
  const res = await fetch(`${s.url}${c.path}`, {
    method: r.method,
    headers,
    body: c.body === undefined ? undefined : JSON.stringify(c.body),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Refused, with one of the expected statuses and codes, in exactly the one error shape. */
function expectRefused(res: { status: number; body: any }, want: Array<[number, string]>, label: string) {
  expect(
    want.map(([st, code]) => `${st} ${code}`),
    `${label}: got ${res.status} ${JSON.stringify(res.body)}`,
  ).toContain(`${res.status} ${res.body?.error?.code}`);
  expect(Object.keys(res.body), label).toEqual(['error']);
  expect(typeof res.body.error.message, label).toBe('string');
  expect(
    Object.keys(res.body.error).every((k) => ['code', 'message', 'details'].includes(k)),
    label,
  ).toBe(true);
}

const PANEL_403: Array<[number, string]> = [
  [403, 'project_forbidden'],
  [403, 'vendor_forbidden'],
  [403, 'commitment_forbidden'],
];

beforeAll(async () => {
  s = await startTestServer();
  acme = await seedPanelTenant(s.running.db.pool, s.running.config);
  other = await seedPanelTenant(s.running.db.pool, s.running.config, {
    companyId: '2002',
    name: 'Other GC',
    mycoiAccount: 'acct-other',
    dmsa: ['demo-panel-client', 'demo-panel-secret'],
  });
}, 60_000);

afterAll(async () => {
  await s?.close();
});

describe('isolation table', () => {
  it('covers every panel, admin and ops route the service declares', () => {
    const table = routes().map((r) => `${r.method} ${r.route}`);
    expect(new Set(table).size).toBe(table.length);
    expect([...table, ...Object.keys(PUBLIC)].sort()).toEqual(declaredRoutes());
  });

  it('no session → 401', async () => {
    for (const r of routes()) {
      const res = await call(r, r.own, {});
      expectRefused(
        res,
        r.family === 'panel' ? [[401, 'session_expired']] : [[401, 'unauthorized']],
        `${r.method} ${r.route} without a session`,
      );
    }
  });

  it('other company → 403 (panel, admin), 401 (a customer admin is no ops user)', async () => {
    const otherPanel = await panelToken(s, { login: 'olga@other.test', companyId: '2002', projectId: '5101', email: 'eve@other.test' });
    const acmeAdmin = await adminCookie('pat@acme.test', '1001');
    for (const r of routes()) {
      if (r.na?.otherCompany) continue;
      const label = `${r.method} ${r.route} from another company`;
      if (r.family === 'panel') expectRefused(await call(r, r.otherCompany!, { bearer: otherPanel }), [[403, 'project_forbidden']], label);
      if (r.family === 'admin') expectRefused(await call(r, r.otherCompany!, { cookie: acmeAdmin }), [[403, 'forbidden']], label);
      if (r.family === 'ops') expectRefused(await call(r, r.otherCompany!, { cookie: acmeAdmin }), [[401, 'unauthorized']], label);
    }
    // nothing of Other GC was touched by Acme's admin
    const { rows } = await s.running.db.pool.query(
      `select count(*)::int as n from audit_log where tenant_id = $1 and actor = 'pat@acme.test'`,
      [other],
    );
    expect(rows[0].n).toBe(0);
  });

  it('other project → 403 for every panel route that names one', async () => {
    const token = await sam(); // Procore user who sees project 5001 only
    for (const r of routes()) {
      if (r.na?.otherProject) continue;
      expectRefused(await call(r, r.otherProject!, { bearer: token }), PANEL_403, `${r.method} ${r.route} outside the user's project`);
    }
    const { rows } = await s.running.db.pool.query('select count(*)::int as n from links');
    expect(rows[0].n).toBe(0);
  });

  it('disabled user → refused at once: Procore user or admin removed from the company, ops user disabled', async () => {
    for (const r of routes()) {
      if (r.na?.disabled) continue;
      const label = `${r.method} ${r.route} by a disabled user`;
      if (r.family === 'panel') {
        const token = await sam();
        const m = membership(102, 1001);
        m.remove();
        try {
          expectRefused(await call(r, r.own, { bearer: token }), [[403, 'procore_access_removed']], label);
        } finally {
          m.restore();
        }
        // the session ended with the removal: back in the company, the old token still does nothing
        expectRefused(await call(r, r.own, { bearer: token }), [[401, 'session_expired']], `${label}, again`);
      } else if (r.family === 'admin') {
        const cookie = await adminCookie('pat@acme.test', '1001');
        // Reads trust a check for a minute; age it as if that minute had passed (changes never trust it).
        await s.running.db.pool.query(`update sessions set verified_at = now() - interval '2 minutes' where kind = 'admin'`);
        const m = membership(101, 1001);
        m.remove();
        try {
          expectRefused(await call(r, r.own, { cookie }), [[401, 'unauthorized']], label);
        } finally {
          m.restore();
        }
        expectRefused(await call(r, r.own, { cookie }), [[401, 'unauthorized']], `${label}, again`);
      } else {
        const { cookie, email } = await opsCookie();
        await s.running.db.pool.query('update ops_users set disabled_at = now() where email = $1', [email]); // by hand, in SQL
        expectRefused(await call(r, r.own, { cookie }), [[401, 'unauthorized']], label);
      }
    }
  });

  it('revoked session → 401 (panel sign-out, admin and ops logout)', async () => {
    const token = await sam();
    expect((await api(s, token).call('DELETE', '/api/panel/session')).status).toBe(204);
    const admin = await adminCookie('pat@acme.test', '1001');
    expect((await fetch(`${s.url}/api/admin/logout`, { method: 'POST', headers: { cookie: admin } })).status).toBe(204);
    const ops = await opsCookie();
    expect((await fetch(`${s.url}/api/ops/logout`, { method: 'POST', headers: { cookie: ops.cookie } })).status).toBe(204);
    for (const r of routes()) {
      const label = `${r.method} ${r.route} with a revoked session`;
      if (r.family === 'panel') expectRefused(await call(r, r.own, { bearer: token }), [[401, 'session_expired']], label);
      if (r.family === 'admin') expectRefused(await call(r, r.own, { cookie: admin }), [[401, 'unauthorized']], label);
      if (r.family === 'ops') expectRefused(await call(r, r.own, { cookie: ops.cookie }), [[401, 'unauthorized']], label);
    }
  });

  it('the same sessions, not refused, do work (the table is not refusing everything)', async () => {
    const token = await sam();
    expect((await api(s, token).get('/api/panel/commitments/900001?projectId=5001')).status).toBe(200);
    const admin = await adminCookie('pat@acme.test', '1001');
    expect((await fetch(`${s.url}/api/admin/companies/1001`, { headers: { cookie: admin } })).status).toBe(200);
    const ops = await opsCookie();
    expect((await fetch(`${s.url}/api/ops/tenants/${acme}`, { headers: { cookie: ops.cookie } })).status).toBe(200);
    // Disabling through the supported path ends the account's sessions in the same transaction.
    expect(await disableOpsUser(s.running.db.pool, ops.email)).toEqual({ found: true, endedSessions: 1 });
    expect((await fetch(`${s.url}/api/ops/me`, { headers: { cookie: ops.cookie } })).status).toBe(401);
    // Disabled by hand in SQL and enabled again: the old cookie stays dead (the session row is gone).
    const byHand = await opsCookie();
    await s.running.db.pool.query('update ops_users set disabled_at = now() where email = $1', [byHand.email]);
    await s.running.db.pool.query('update ops_users set disabled_at = null where email = $1', [byHand.email]);
    expect((await fetch(`${s.url}/api/ops/me`, { headers: { cookie: byHand.cookie } })).status).toBe(401);
    // Deleted works the same way.
    const gone = await opsCookie();
    expect(await disableOpsUser(s.running.db.pool, gone.email, { delete: true })).toEqual({ found: true, endedSessions: 1 });
    expect((await fetch(`${s.url}/api/ops/me`, { headers: { cookie: gone.cookie } })).status).toBe(401);
  });
});

describe('admin sessions past the Procore token lifetime (16.3)', () => {
  it("renew the admin's Procore token to re-check membership; a refused renewal ends the session", async () => {
    const cookie = await adminCookie('pat@acme.test', '1001');
    // Reads trust a check for a minute: age it as if that minute had passed, so Procore is asked.
    const companyView = async () => {
      await s.running.db.pool.query(`update sessions set verified_at = now() - interval '2 minutes' where kind = 'admin'`);
      return fetch(`${s.url}/api/admin/companies/1001`, { headers: { cookie } });
    };
    s.procore.admin.advanceTime(5400 + 120); // the admin's access token is dead at Procore
    const before = [...s.procore.state.refreshTokens.values()].filter((t) => t.userId === 101).length;
    expect((await companyView()).status).toBe(200); // 401 → refresh → membership confirmed
    expect([...s.procore.state.refreshTokens.values()].filter((t) => t.userId === 101).length - before).toBe(1);
    const stored = await s.running.db.pool.query(`select procore_refresh_token from sessions where kind = 'admin'`);
    expect(JSON.stringify(stored.rows)).not.toContain('sbx_'); // kept encrypted

    for (const t of s.procore.state.refreshTokens.values()) if (t.userId === 101) t.used = true; // revoked in Procore
    s.procore.admin.advanceTime(5400 + 120);
    const refused = await companyView();
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe('unauthorized');
    expect((await fetch(`${s.url}/api/admin/session`, { headers: { cookie } })).status).toBe(401); // the session is gone
  });
});
