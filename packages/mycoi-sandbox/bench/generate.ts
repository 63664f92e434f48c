// Times the large-tenant generator and a full feed walk over HTTP.
// Run: npx tsx packages/mycoi-sandbox/bench/generate.ts
import { createMycoiSandbox } from '../src';

const t0 = performance.now();
const sb = await createMycoiSandbox({ seed: { generate: { vendors: 2000, linesPerVendor: 4, assignments: 4000 } } });
const t1 = performance.now();
const tok = (await (
  await fetch(`${sb.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'large-mycoi-client', client_secret: 'large-mycoi-secret' }),
  })
).json()) as { access_token: string };
let cursor: string | undefined;
let records = 0,
  pages = 0;
for (;;) {
  const q = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
  const page = (await (
    await fetch(`${sb.url}/v1/compliance?${q}`, { headers: { authorization: `Bearer ${tok.access_token}` } })
  ).json()) as { data: unknown[]; next_cursor: string; has_more: boolean };
  records += page.data.length;
  pages++;
  cursor = page.next_cursor;
  if (!page.has_more) break;
}
const t2 = performance.now();
console.log(`start+generate ${(t1 - t0).toFixed(0)} ms; feed walk ${records} records in ${pages} pages: ${(t2 - t1).toFixed(0)} ms`);
await sb.close();
