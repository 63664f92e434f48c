import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createSession, COOKIE } from '../src/auth/sessions';
import { upsertOpsUser } from '../src/auth/ops-users';
import { openBrowser, type BrowserSession } from './support/browser';
import { startTestServer, type TestServer } from './support/server';
import { Agent } from './tenants-harness';
import { insertDemoTenant } from './support/tenants';

// The settings a customer admin changes in the console have real effects in Procore: driven in a
// real Chromium, checked in the Procore sandbox's state over HTTP (and the digest in the outbox,
// the links in myCOI). Each setting is turned off, then on, so a setting that is saved and ignored
// fails one of the two halves.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let server: TestServer;
let browser: BrowserSession;
let ops: Agent;
let tenantId: string;

interface SandboxState {
  insurances: Array<{ origin_id: string | null; enable_expired_insurance_notifications: boolean }>;
  commitments: Array<{ id: number; compliance?: { insurance_status?: string | null } }>;
}
async function procoreState(): Promise<SandboxState> {
  const res = await fetch(`${server.procore.url}/_sandbox/state`);
  expect(res.status).toBe(200);
  return (await res.json()) as SandboxState;
}
const ours = (s: SandboxState) => s.insurances.filter((i) => i.origin_id?.startsWith('mycoi:'));
const commitmentStatus = (s: SandboxState, id: number) => s.commitments.find((c) => c.id === id)?.compliance?.insurance_status ?? null;

/** "Sync now" as ops press it, then wait until both runs it queued have finished. */
async function syncNow(): Promise<void> {
  const { rows } = await server.running.db.pool.query<{ n: number }>(
    'select coalesce(max(id), 0)::int as n from runs where tenant_id = $1',
    [tenantId],
  );
  expect((await ops.post(`/api/ops/tenants/${tenantId}/sync-now`, {})).status).toBe(202);
  const end = Date.now() + 30_000;
  for (;;) {
    const r = await server.running.db.pool.query<{ kind: string; status: string }>(
      'select kind, status from runs where tenant_id = $1 and id > $2 and finished_at is not null',
      [tenantId, rows[0]!.n],
    );
    if (r.rows.length >= 2) {
      expect(r.rows.map((x) => x.status)).toEqual(['succeeded', 'succeeded']);
      return;
    }
    if (Date.now() > end) throw new Error('sync-now runs did not finish');
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function latestDigest(): Promise<string> {
  const out = await ops.get('/api/ops/outbox');
  const digests = (out.body.messages as Array<{ subject: string; text: string }>).filter((m) => m.subject.includes('not in myCOI'));
  return digests[0]?.text ?? '';
}

/** Opens the settings form on the customer console's status page, applies `change`, saves. */
async function changeSettings(page: Page, change: (form: ReturnType<Page['getByRole']>) => Promise<void>): Promise<void> {
  await page.goto(`${server.url}/console?companyId=1001`);
  const settings = page.getByRole('region', { name: 'Settings' });
  await settings.getByRole('button', { name: 'Change settings' }).click();
  await change(settings);
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/admin/companies/1001/settings') && r.request().method() === 'PUT');
  await settings.getByRole('button', { name: /Save/ }).click();
  expect((await saved).status()).toBe(200);
  await settings.getByText('Settings saved.').waitFor();
}

const check = async (form: ReturnType<Page['getByRole']>, name: string | RegExp, on: boolean) => {
  const box = form.getByRole('checkbox', { name, exact: typeof name === 'string' });
  // core-react draws its own box over a visually hidden input: the input is what the form reads
  if ((await box.isChecked()) !== on) await box.setChecked(on, { force: true });
  expect(await box.isChecked()).toBe(on);
};

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'apps/console/dist/index.html'))) {
    execFileSync('npm', ['run', 'build', '-w', '@mycoi/console'], { cwd: repoRoot, stdio: 'inherit' });
  }
  server = await startTestServer({ env: { SYNC_ENABLED: 'true' } });
  const pool = server.running.db.pool;
  tenantId = await insertDemoTenant(pool, server.running.config.encryption, { status: 'active', compliance_level: 'both' });
  await upsertOpsUser(pool, 'ops@mycoi.test', 'a-long-ops-password');
  ops = new Agent(server.url);
  expect((await ops.post('/api/ops/login', { email: 'ops@mycoi.test', password: 'a-long-ops-password' })).status).toBe(200);
  browser = await openBrowser();
  const { token } = await createSession({ pool, sessionSecret: server.running.config.sessionSecret }, 'admin', 'u-pat', {
    user: { id: 'u-pat', login: 'pat@acme.test', name: 'Pat' },
    companies: [{ id: '1001', name: 'Acme Builders' }],
  });
  await browser.context.addCookies([{ name: COOKIE.admin, value: token, url: server.url }]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('console settings in Chromium → what Procore and myCOI get', () => {
  it('all off ("Complete" not approved): no expiry flag, no per-commitment status, the Complete commitment left out', async () => {
    await changeSettings(browser.page, async (form) => {
      await check(form, /Keep Procore’s own expiry emails on/, false);
      await check(form, /Also write the insurance compliance status/, false);
      await check(form, 'Complete', false);
      await form.getByLabel('Digest recipients').fill('risk@acme.test');
    });
    await browser.screenshot('settings-01-all-off');
    await syncNow();
    const s = await procoreState();
    expect(ours(s).length).toBeGreaterThan(0);
    expect(ours(s).every((i) => i.enable_expired_insurance_notifications === false)).toBe(true);
    expect(commitmentStatus(s, 900001)).toBeNull();
    // commitment 900008 ("Complete", vendor 70007): not in upkeep, not in the digest
    expect(server.mycoi.state.vendors.ofAccount('acct-acme').some((v) => v.external_id === '70007')).toBe(false);
    // the digest lists only what myCOI really lacks: project 5003 (no division); 900001 is in myCOI
    // (assignment external id) and upkeep linked it
    const digest = await latestDigest();
    expect(digest).toContain('these Procore records are not in myCOI yet'); // a digest went out
    expect(digest).toContain('Harbor Warehouse');
    expect(digest).not.toContain('900001');
    expect(digest).not.toContain('900008');
  }, 90_000);

  it('all on: the expiry flag on every row, per-commitment status written, the Complete commitment in upkeep and the digest', async () => {
    await changeSettings(browser.page, async (form) => {
      await check(form, /Keep Procore’s own expiry emails on/, true);
      await check(form, /Also write the insurance compliance status/, true);
      await check(form, 'Complete', true);
    });
    await browser.screenshot('settings-02-all-on');
    await syncNow();
    const s = await procoreState();
    expect(ours(s).length).toBeGreaterThan(0);
    expect(ours(s).every((i) => i.enable_expired_insurance_notifications === true)).toBe(true);
    expect(commitmentStatus(s, 900001)).toBe('compliant');
    expect(server.mycoi.state.vendors.ofAccount('acct-acme').some((v) => v.external_id === '70007')).toBe(true);
    expect(await latestDigest()).toContain('900008');
    expect(browser.errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
  }, 90_000);
});
