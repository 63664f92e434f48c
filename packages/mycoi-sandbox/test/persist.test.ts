import { afterAll, describe, expect, it } from 'vitest';
import { createMycoiSandbox, restoreStore, serializeStore, type MycoiSandbox } from '../src';

// The demo keeps its myCOI across restarts: the feed continues where a client's cursor points.
const open: MycoiSandbox[] = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

async function token(sb: MycoiSandbox): Promise<string> {
  const res = await fetch(`${sb.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'demo-mycoi-client', client_secret: 'demo-mycoi-secret' }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('sandbox state persistence', () => {
  it('a restored sandbox serves the same records, and later changes sort after the restored ones', async () => {
    const a = await createMycoiSandbox({ seed: 'demo' });
    open.push(a);
    const changed = a.admin.setCompliance({ vendorId: 'ven_acme_bright' }, { status: 'finalized_non_compliant' });
    const json = serializeStore(a.state);

    const b = await createMycoiSandbox({ seed: 'empty' });
    open.push(b);
    restoreStore(b.state, json);
    expect(serializeStore(b.state)).toBe(json);
    const t = await token(b);
    const rec = await fetch(`${b.url}/v1/compliance/vendors/ven_acme_bright`, { headers: { authorization: `Bearer ${t}` } });
    expect(rec.status).toBe(200);
    expect(((await rec.json()) as { version: number }).version).toBe(changed.version);
    const next = b.admin.setCompliance({ vendorId: 'ven_acme_harbor' }, { status: 'expired' });
    expect(next.updated_at > changed.updated_at).toBe(true);
    expect(b.state.complianceInFeedOrder('acct-acme').at(-1)!.id).toBe(next.id);
  });
});
