import { createServer } from 'node:http';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createMycoiSandbox, type MycoiSandbox } from '@mycoi/mycoi-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkResponse, checkSchema, openapiText, operations } from './openapi';

// The contract is valid OpenAPI 3.1, and every operation of the sandbox answers with documented
// statuses and bodies that match the document's schemas (raw fetch, no client involved).

describe('openapi.yaml', () => {
  it('validates as OpenAPI 3.1', async () => {
    const v = new Validator();
    const r = await v.validate(openapiText);
    expect(r.errors ?? []).toEqual([]);
    expect(r.valid).toBe(true);
    expect(v.version).toBe('3.1');
  });
  it('rejects a broken variant (the validator is really looking)', async () => {
    const r = await new Validator().validate(openapiText.replace('operationId: login', 'operationIdd: login'));
    expect(r.valid).toBe(false);
  });
});

describe('sandbox responses match the contract', () => {
  let sb: MycoiSandbox;
  let clientToken = '';
  let userToken = '';
  let viewerToken = '';
  const covered = new Set<string>();
  const opByKey = new Map(operations().map((o) => [`${o.method} ${o.path}`, o.operationId]));

  async function call(
    method: string,
    template: string,
    url: string,
    init: { token?: string; body?: unknown; form?: string; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body: string | undefined;
    if (init.form !== undefined) {
      body = init.form;
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(sb.url + url, { method, headers, body });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    expect(checkResponse(method, template, res.status, json)).toEqual([]);
    covered.add(opByKey.get(`${method} ${template}`)!);
    return { status: res.status, body: json, headers: res.headers };
  }

  beforeAll(async () => {
    sb = await createMycoiSandbox({ lockout: { maxFailures: 2, lockSeconds: 60 } });
    clientToken = (
      await call('POST', '/oauth/token', '/oauth/token', {
        form: 'grant_type=client_credentials&client_id=demo-mycoi-client&client_secret=demo-mycoi-secret',
      })
    ).body.access_token;
    userToken = (await call('POST', '/v1/auth/login', '/v1/auth/login', { body: { email: 'risk@acme.test', password: 'password' } })).body
      .access_token;
    viewerToken = (await call('POST', '/v1/auth/login', '/v1/auth/login', { body: { email: 'viewer@acme.test', password: 'password' } }))
      .body.access_token;
  });
  afterAll(async () => {
    await sb.close();
  });

  it('auth: token, login, me (success and failures)', async () => {
    expect(
      (
        await call('POST', '/oauth/token', '/oauth/token', {
          body: { grant_type: 'client_credentials', client_id: 'demo-mycoi-client', client_secret: 'nope' },
        })
      ).status,
    ).toBe(401);
    expect((await call('POST', '/oauth/token', '/oauth/token', { body: { grant_type: 'password' } })).status).toBe(400);
    const basic = Buffer.from('demo-mycoi-client:demo-mycoi-secret').toString('base64');
    expect(
      (
        await call('POST', '/oauth/token', '/oauth/token', {
          form: 'grant_type=client_credentials',
          headers: { authorization: `Basic ${basic}` },
        })
      ).status,
    ).toBe(200);
    expect((await call('POST', '/v1/auth/login', '/v1/auth/login', { body: { email: 'pm@acme.test', password: 'bad' } })).status).toBe(401);
    expect((await call('POST', '/v1/auth/login', '/v1/auth/login', { body: { email: 'pm@acme.test', password: 'bad' } })).status).toBe(401);
    const locked = await call('POST', '/v1/auth/login', '/v1/auth/login', { body: { email: 'pm@acme.test', password: 'password' } });
    expect(locked.status).toBe(423);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call('POST', '/v1/auth/login', '/v1/auth/login', { body: { email: 'not-an-email' } })).status).toBe(400);
    expect((await call('GET', '/v1/me', '/v1/me', { token: clientToken })).body.token_kind).toBe('client');
    expect((await call('GET', '/v1/me', '/v1/me', { token: userToken })).body.user.role).toBe('admin');
    expect((await call('GET', '/v1/me', '/v1/me')).status).toBe(401);
  });

  it('divisions, vendors, insurance sets, assignments', async () => {
    const t = { token: clientToken };
    const divs = await call('GET', '/v1/divisions', '/v1/divisions?limit=2', t);
    expect(divs.body.next_cursor).toBeTruthy();
    await call('GET', '/v1/divisions', `/v1/divisions?limit=2&cursor=${divs.body.next_cursor}`, t);
    expect((await call('GET', '/v1/divisions', '/v1/divisions?cursor=garbage', t)).status).toBe(400);
    expect((await call('GET', '/v1/divisions', '/v1/divisions?limit=101', t)).status).toBe(400);
    await call('GET', '/v1/divisions/{id}', '/v1/divisions/div_acme_riverside', t);
    expect((await call('GET', '/v1/divisions/{id}', '/v1/divisions/div_other_tower', t)).status).toBe(404);
    expect(
      (await call('POST', '/v1/divisions', '/v1/divisions', { ...t, body: { name: 'Harbor Warehouse', external_id: '5003' } })).status,
    ).toBe(201);
    expect((await call('POST', '/v1/divisions', '/v1/divisions', { ...t, body: { name: 'Again', external_id: '5003' } })).status).toBe(409);
    expect((await call('POST', '/v1/divisions', '/v1/divisions', { ...t, body: { nom: 'x' } })).status).toBe(400);
    expect((await call('POST', '/v1/divisions', '/v1/divisions', { token: viewerToken, body: { name: 'x' } })).status).toBe(403);
    expect(
      (await call('POST', '/v1/divisions', '/v1/divisions', { ...t, headers: { 'Idempotency-Key': 'k1' }, body: { name: 'A' } })).status,
    ).toBe(201);
    expect(
      (await call('POST', '/v1/divisions', '/v1/divisions', { ...t, headers: { 'Idempotency-Key': 'k1' }, body: { name: 'B' } })).status,
    ).toBe(422);

    await call('GET', '/v1/vendors', '/v1/vendors?q=electric', t);
    await call('GET', '/v1/vendors', '/v1/vendors?tax_id=941000001', t);
    await call('GET', '/v1/vendors/{id}', '/v1/vendors/ven_acme_bright', t);
    expect((await call('GET', '/v1/vendors/{id}', '/v1/vendors/nope', t)).status).toBe(404);
    const v = await call('POST', '/v1/vendors', '/v1/vendors', {
      token: userToken,
      body: {
        name: 'Cascade HVAC Services',
        external_id: '70006',
        contacts: [{ name: 'Office', email: 'o@c.test' }],
        address: { city: 'Sacramento' },
      },
    });
    expect(v.status).toBe(201);
    expect((await call('POST', '/v1/vendors', '/v1/vendors', { ...t, body: { name: 'dup', external_id: '70001' } })).status).toBe(409);
    expect((await call('POST', '/v1/vendors', '/v1/vendors', { ...t, body: { name: '' } })).status).toBe(400);
    expect((await call('POST', '/v1/vendors', '/v1/vendors', { token: viewerToken, body: { name: 'x' } })).status).toBe(403);
    expect(
      (await call('POST', '/v1/vendors', '/v1/vendors', { ...t, headers: { 'Idempotency-Key': 'k2' }, body: { name: 'A' } })).status,
    ).toBe(201);
    expect(
      (await call('POST', '/v1/vendors', '/v1/vendors', { ...t, headers: { 'Idempotency-Key': 'k2' }, body: { name: 'C' } })).status,
    ).toBe(422);

    await call('GET', '/v1/insurance-sets', '/v1/insurance-sets', t);
    expect((await call('GET', '/v1/insurance-sets', '/v1/insurance-sets?limit=0', t)).status).toBe(400);
    await call('GET', '/v1/insurance-sets/{id}', '/v1/insurance-sets/set_acme_std', t);
    expect((await call('GET', '/v1/insurance-sets/{id}', '/v1/insurance-sets/set_other_std', t)).status).toBe(404);

    await call('GET', '/v1/assignments', '/v1/assignments?vendor_id=ven_acme_bright', t);
    expect((await call('GET', '/v1/assignments', '/v1/assignments?limit=abc', t)).status).toBe(400);
    await call('GET', '/v1/assignments/{id}', '/v1/assignments/asg_acme_0001', t);
    expect((await call('GET', '/v1/assignments/{id}', '/v1/assignments/asg_other_0001', t)).status).toBe(404);
    const body = {
      vendor_id: v.body.id,
      division_id: 'div_acme_oak',
      insurance_set_id: 'set_acme_std',
      contract_id: 'PO-101',
      external_id: '900007',
      title: 'Rooftop units',
      amount: 98000,
    };
    expect((await call('POST', '/v1/assignments', '/v1/assignments', { ...t, body })).status).toBe(201);
    const dup = await call('POST', '/v1/assignments', '/v1/assignments', { ...t, body });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details.existing.external_id).toBe('900007');
    expect(
      (
        await call('POST', '/v1/assignments', '/v1/assignments', {
          ...t,
          body: { ...body, external_id: '1', vendor_id: 'ven_other_desert' },
        })
      ).status,
    ).toBe(422);
    expect((await call('POST', '/v1/assignments', '/v1/assignments', { ...t, body: { vendor_id: 'x' } })).status).toBe(400);
    expect((await call('POST', '/v1/assignments', '/v1/assignments', { token: viewerToken, body })).status).toBe(403);
  });

  it('compliance feed and single records', async () => {
    const t = { token: clientToken };
    const first = await call('GET', '/v1/compliance', '/v1/compliance?limit=3', t);
    expect(first.body.has_more).toBe(true);
    await call('GET', '/v1/compliance', `/v1/compliance?limit=3&cursor=${first.body.next_cursor}`, t);
    await call('GET', '/v1/compliance', '/v1/compliance?level=assignment&updated_since=2000-01-01T00:00:00Z', t);
    expect((await call('GET', '/v1/compliance', '/v1/compliance?updated_since=yesterday', t)).status).toBe(400);
    expect((await call('GET', '/v1/compliance', `/v1/compliance?level=vendor&cursor=${first.body.next_cursor}`, t)).status).toBe(400);
    await call('GET', '/v1/compliance/vendors/{id}', '/v1/compliance/vendors/ven_acme_summit', t);
    expect((await call('GET', '/v1/compliance/vendors/{id}', '/v1/compliance/vendors/ven_other_desert', t)).status).toBe(404);
    await call('GET', '/v1/compliance/assignments/{id}', '/v1/compliance/assignments/asg_acme_0005', t);
    expect((await call('GET', '/v1/compliance/assignments/{id}', '/v1/compliance/assignments/nope', t)).status).toBe(404);
    // Every seeded record, all statuses included, matches the schema.
    const all = await call('GET', '/v1/compliance', '/v1/compliance?limit=100', t);
    expect(new Set(all.body.data.map((r: { status: { label: string } }) => r.status.label)).size).toBeGreaterThanOrEqual(6);
  });

  it('429 carries Retry-After and the error shape; unknown routes use the error shape', async () => {
    sb.faults.set({ rateLimitStorm: 1, retryAfterSec: 2 });
    const r = await call('GET', '/v1/vendors', '/v1/vendors', { token: clientToken });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('2');
    sb.faults.clear();
    const res = await fetch(`${sb.url}/v1/nothing`, { headers: { authorization: `Bearer ${clientToken}` } });
    expect(res.status).toBe(404);
    expect(checkSchema('Error', await res.json())).toEqual([]);
  });

  it('the compliance.updated webhook body and headers match the contract', async () => {
    const got: Array<{ headers: Record<string, unknown>; body: string }> = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        got.push({ headers: req.headers, body });
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const port = (receiver.address() as { port: number }).port;
    sb.admin.setWebhook({ url: `http://127.0.0.1:${port}/hook`, secret: 'whsec_test' });
    sb.admin.setCompliance({ assignmentId: 'asg_acme_0002' }, { status: 'finalized_compliant' });
    await sb.admin.flushWebhooks();
    receiver.close();
    expect(got).toHaveLength(1);
    expect(checkSchema('ComplianceUpdatedEvent', JSON.parse(got[0]!.body))).toEqual([]);
    expect(String(got[0]!.headers['mycoi-signature'])).toMatch(/^t=\d+(,v1=[0-9a-f]{64})+$/);
    expect(got[0]!.headers['mycoi-event-type']).toBe('compliance.updated');
  });

  it('the response checker rejects what the contract forbids', () => {
    expect(checkResponse('GET', '/v1/vendors/{id}', 200, { id: 1 }).length).toBeGreaterThan(0);
    expect(checkResponse('GET', '/v1/vendors/{id}', 418, {})).toEqual(['GET /v1/vendors/{id}: status 418 is not documented']);
    expect(
      checkSchema('ComplianceStatus', { kind: 'reviewed', review_state: 'finalized', outcome: 'undecided', label: 'x' }).length,
    ).toBeGreaterThan(0);
    expect(
      checkResponse('POST', '/v1/assignments', 409, { error: { code: 'duplicate_external_id', message: 'm', details: {} } }).length,
    ).toBeGreaterThan(0);
  });

  it('every operation of the contract was exercised', () => {
    expect(
      operations()
        .map((o) => o.operationId)
        .filter((id) => !covered.has(id)),
    ).toEqual([]);
  });
});
