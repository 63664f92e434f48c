import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPanelTenant } from './panel-fixtures';
import { api, panelToken } from './panel-flow';
import { startTestServer, type TestServer } from './support/server';

// Issue 16 item 11 (bad client input is not an upstream outage) and item 4 for the side panel (a
// link and its audit entry commit together). Real service, both sandboxes, a real panel session.

let s: TestServer;
let acme: string;
let token: string;

beforeAll(async () => {
  s = await startTestServer();
  acme = await seedPanelTenant(s.running.db.pool, s.running.config);
  token = await panelToken(s);
}, 60_000);
afterAll(async () => {
  await s?.close();
});

describe('side panel input', () => {
  it('a lone surrogate in mycoiId is a 400 naming the field, never 502 upstream_unavailable', async () => {
    const res = await api(s, token).post(
      '/api/panel/link',
      { kind: 'vendor', projectId: '5001', procoreId: '70001', mycoiId: 'ven\ud800x' },
      { 'Idempotency-Key': 'hygiene-key-0001' },
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_characters', details: [{ path: 'body.mycoiId' }] });
  });

  it('the same in a record id of the URL and in the search text', async () => {
    const vendor = await api(s, token).get('/api/panel/vendors/%ED%A0%80?projectId=5001');
    expect([vendor.status, vendor.body.error.code]).toEqual([400, 'invalid_characters']);
    const search = await api(s, token).get('/api/panel/search?kind=vendor&q=a%00b');
    expect([search.status, search.body.error.details[0].path]).toEqual([400, 'query.q']);
  });

  it('a link whose audit entry cannot be written is not kept', async () => {
    const pool = s.running.db.pool;
    await pool.query(
      `create or replace function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit unavailable'; end $$`,
    );
    await pool.query('create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()');
    try {
      const res = await api(s, token).post(
        '/api/panel/link',
        { kind: 'vendor', projectId: '5001', procoreId: '70001', mycoiId: 'ven_acme_bright' },
        { 'Idempotency-Key': 'hygiene-key-0002' },
      );
      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe('internal');
    } finally {
      await pool.query('drop trigger refuse_audit on audit_log');
    }
    const { rows } = await pool.query("select 1 from links where tenant_id = $1 and kind = 'vendor' and procore_id = '70001'", [acme]);
    expect(rows).toHaveLength(0);
    // once the audit table works again, the same link is made (a new key: the failed one was not kept as done)
    const again = await api(s, token).post(
      '/api/panel/link',
      { kind: 'vendor', projectId: '5001', procoreId: '70001', mycoiId: 'ven_acme_bright' },
      { 'Idempotency-Key': 'hygiene-key-0003' },
    );
    expect(again.status).toBe(201);
    const audited = await pool.query("select 1 from audit_log where tenant_id = $1 and action = 'panel.link_vendor'", [acme]);
    expect(audited.rows).toHaveLength(1);
  });
});
