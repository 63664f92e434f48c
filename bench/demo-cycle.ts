// npx tsx bench/demo-cycle.ts [http://localhost:3000] — drives ONE demo cycle against a running
// `npm run serve` (demo mode: the Procore sandbox on PORT+1, myCOI on PORT+2), so the size of the
// service's log over a cycle can be measured:
//
//   PGLITE_DIR=/tmp/demo PORT=3400 npm run serve > /tmp/demo.log 2>&1 &
//   npx tsx bench/demo-cycle.ts http://localhost:3400 && wc -c /tmp/demo.log
//
// The walk-through of the README: admin sign-in through Procore, register, DMSA credentials,
// validate, features, request activation; ops sign-in, myCOI credentials, test, activate; a myCOI
// compliance change (signed webhook) and a Procore commitment change (hook delivery); the side
// panel's sign-ins and a few panel calls; then it waits out one scheduled sync cycle (two minutes
// in the demo) with the consoles polling as an open browser tab would. Ends with one line of JSON.

export {}; // a module: top-level await

const base = new URL(process.argv[2] ?? 'http://localhost:3000');
const port = Number(base.port || 80);
const procore = `http://127.0.0.1:${port + 1}`;
const mycoi = `http://127.0.0.1:${port + 2}`;
const CYCLE_MS = Number(process.env.CYCLE_MS ?? 130_000);
const POLL_MS = Number(process.env.POLL_MS ?? 10_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The few fields of our JSON answers this script reads. */
interface Reply {
  ok?: boolean;
  token?: string;
  tenant?: { id: string };
}

class Jar {
  cookies = new Map<string, string>();
  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Reply; location: string | null }> {
    const h: Record<string, string> = { ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(new URL(path, base), {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    for (const c of res.headers.getSetCookie()) {
      const [k, v] = c.split(';')[0]!.split('=') as [string, string];
      if (v) this.cookies.set(k, v);
    }
    const text = await res.text();
    let parsed: Reply = {};
    try {
      parsed = text ? (JSON.parse(text) as Reply) : {};
    } catch {
      /* html or empty */
    }
    return { status: res.status, body: parsed, location: res.headers.get('location') };
  }
}

function must(ok: boolean, what: string): void {
  if (!ok) throw new Error(`demo step failed: ${what}`);
}

async function consent(authorizeUrl: string, login: string): Promise<string> {
  const a = new URL(authorizeUrl);
  const form = new URLSearchParams({
    client_id: a.searchParams.get('client_id')!,
    redirect_uri: a.searchParams.get('redirect_uri')!,
    state: a.searchParams.get('state')!,
    response_type: 'code',
    login,
    password: 'password',
    decision: 'approve',
  });
  const res = await fetch(`${procore}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  return res.headers.get('location')!;
}

const t0 = Date.now();
let requests = 0;
const count = <T>(p: Promise<T>) => (requests++, p);

// 1. customer admin
const admin = new Jar();
const start = await count(admin.call('GET', '/api/admin/auth/procore?companyId=1001'));
const back = new URL(await consent(start.location!, 'pat@acme.test'));
must((await count(admin.call('GET', `${back.pathname}${back.search}`))).status === 302, 'admin sign-in');
await count(admin.call('POST', '/api/admin/companies/1001/register', {}));
must(
  (
    await count(
      admin.call('PUT', '/api/admin/companies/1001/credentials', {
        source: 'tenant',
        clientId: 'demo-dmsa-client',
        clientSecret: 'demo-dmsa-secret',
      }),
    )
  ).status === 200,
  'credentials',
);
must((await count(admin.call('POST', '/api/admin/companies/1001/validate'))).body?.ok === true, 'validate');
await count(admin.call('PUT', '/api/admin/companies/1001/settings', { features: { compliancePush: true, sidePanel: true } }));
await count(admin.call('POST', '/api/admin/companies/1001/request-activation'));
const view = await count(admin.call('GET', '/api/admin/companies/1001'));
const tenantId = view.body.tenant!.id;

// 2. myCOI ops
const ops = new Jar();
must(
  (await count(ops.call('POST', '/api/ops/login', { email: 'ops@mycoi.test', password: 'ops-demo-password' }))).status === 200,
  'ops sign-in',
);
await count(
  ops.call('PUT', `/api/ops/tenants/${tenantId}/mycoi`, {
    accountId: 'acct-acme',
    clientId: 'demo-mycoi-client',
    clientSecret: 'demo-mycoi-secret',
  }),
);
await count(ops.call('POST', `/api/ops/tenants/${tenantId}/mycoi/test`));
await count(ops.call('POST', `/api/ops/tenants/${tenantId}/activate`, {}));

// 3. compliance flows: a myCOI change (signed webhook) and a Procore change (hook delivery)
await fetch(`${mycoi}/_sandbox/compliance/vendors/ven_acme_bright`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ status: 'finalized_non_compliant' }),
});
await sleep(3_000);

// 4. side panel: Procore popup, myCOI password, a few calls
const pstart = await fetch(new URL('/api/panel/auth/procore/start?companyId=1001', base), { redirect: 'manual' });
const pcallback = await consent(pstart.headers.get('location')!, 'pat@acme.test');
const pback = await fetch(pcallback, { redirect: 'manual' });
const grant = new URLSearchParams(new URL(pback.headers.get('location')!, base).hash.slice(1)).get('grant');
requests += 2;
const session = await count(
  new Jar().call('POST', '/api/panel/session', {
    grant,
    companyId: '1001',
    projectId: '5001',
    email: 'risk@acme.test',
    password: 'password',
  }),
);
must(session.status === 201, 'panel session');
const bearer = { authorization: `Bearer ${session.body.token}` };
const panel = new Jar();
await count(panel.call('GET', '/api/panel/commitments/900001?projectId=5001', undefined, bearer));
await count(panel.call('GET', '/api/panel/vendors/70001?projectId=5001', undefined, bearer));
await count(panel.call('GET', '/api/panel/search?kind=vendor&q=bright', undefined, bearer));

// 5. one scheduled cycle, with both consoles open (they poll)
const until = Date.now() + CYCLE_MS;
while (Date.now() < until) {
  await count(ops.call('GET', `/api/ops/tenants/${tenantId}`));
  await count(ops.call('GET', `/api/ops/tenants/${tenantId}/events`));
  await count(admin.call('GET', '/api/admin/companies/1001'));
  await sleep(POLL_MS);
}
console.log(JSON.stringify({ tenantId, requests, seconds: Math.round((Date.now() - t0) / 1000) }));
