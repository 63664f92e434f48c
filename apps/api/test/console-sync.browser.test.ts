import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { upsertOpsUser } from '../src/auth/ops-users';
import { applyTransition } from '../src/tenants/transitions';
import { openBrowser, type BrowserSession } from './support/browser';
import { startTestServer, type TestServer } from './support/server';
import { insertDemoTenant } from './support/tenants';

// What a customer admin sees of the sync (issue 13), in real Chromium against the whole service
// with its scheduler's worker loop on: activation starts the first run, the page follows it until it
// is done with its counts; a project removed from the DMSA's permitted projects shows up as a problem
// in plain words with its fix after the "Sync now" that runs into it.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let server: TestServer;
let browser: BrowserSession;
let tenantId: string;
const pool = () => server.running.db.pool;

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = path.join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }, 0);
}

beforeAll(async () => {
  const index = path.join(repoRoot, 'apps/console/dist/index.html');
  if (!existsSync(index) || statSync(index).mtimeMs < newestSource(path.join(repoRoot, 'apps/console/src'))) {
    execFileSync('npm', ['run', 'build', '-w', '@mycoi/console'], { cwd: repoRoot, stdio: 'inherit' });
  }
  server = await startTestServer({ env: { SYNC_ENABLED: 'true' } });
  // both levels: commitment rows live in projects, so a project the DMSA loses is felt
  tenantId = await insertDemoTenant(pool(), server.running.config.encryption, { compliance_level: 'both' });
  await applyTransition(pool(), tenantId, 'activate', { kind: 'ops', id: 'ops@mycoi.test', ip: null });
  browser = await openBrowser({ viewport: { width: 1280, height: 1000 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const sync = (page: Page) => page.getByRole('region', { name: 'Sync' });
const runCount = async () =>
  (await pool().query<{ n: number }>('select count(*)::int as n from runs where tenant_id = $1', [tenantId])).rows[0]!.n;

describe('customer console: the sync page', () => {
  it('the first run after activation shows with its counts; Sync now queues one; a forbidden project shows with its fix', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/console?companyId=1001`);
    await page.getByRole('button', { name: 'Sign in with Procore' }).click();
    await page.waitForURL((u) => u.toString().startsWith(server.procore.url));
    await page.fill('#login', 'pat@acme.test');
    await page.fill('#password', 'password');
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.waitForURL((u) => u.toString().startsWith(`${server.url}/console/`));

    // activation queued the first runs at once (upkeep, then push); the page follows them to their result
    const s = sync(page);
    await s.waitFor();
    const push = s.locator('[data-kind="push"][data-status="succeeded"]');
    await push.waitFor({ timeout: 60_000 });
    await s.locator('[data-kind="upkeep"][data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await expect.poll(async () => s.getByTestId('sync-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('ok');
    const { rows: runs } = await pool().query<{ counts: { created: number }; write_calls: number; calls: number }>(
      "select counts, write_calls, calls from runs where tenant_id = $1 and kind = 'push'",
      [tenantId],
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]!.counts.created).toBeGreaterThan(0);
    const cells = await push.locator('td').allTextContents();
    expect(cells).toContain('Compliance push');
    expect(cells).toContain(`${runs[0]!.calls} / ${runs[0]!.write_calls}`); // Procore calls / writes
    expect(cells.some((c) => c.startsWith(`${runs[0]!.counts.created} / `))).toBe(true); // created / updated / deleted / failed
    expect(await s.getByTestId('sync-last-run').textContent()).toContain('succeeded');
    expect(await s.getByTestId('sync-next-run').textContent()).not.toBe('Not scheduled');
    // (the demo data has records not yet in myCOI, which the upkeep lists as problems; no access problem yet)
    expect(await s.locator('[data-problem="project_forbidden"]').count()).toBe(0);
    await browser.screenshot('console-sync-first-run');

    // forced failure: a Procore admin removes a project from the DMSA's permitted projects, and
    // myCOI has a new review for a commitment in that project, so the next push must write there
    server.procore.admin.setInstallation('demo-dmsa-client', 1001, { permittedProjectIds: [5001, 5003] }); // 5002 Oak Street Apartments removed
    server.mycoi.admin.setCompliance(
      { assignmentId: 'asg_acme_0005' },
      { status: 'finalized_non_compliant', last_reviewed_at: new Date(Date.now() - 86_400_000).toISOString() },
    );

    // "Sync now" queues one sync (its push and its upkeep) and says so; the page follows it
    const before = await runCount();
    await s.getByRole('button', { name: 'Sync now' }).click();
    const answer = s.getByTestId('sync-now-answer');
    await answer.waitFor();
    expect(await answer.getAttribute('data-outcome')).toBe('queued');
    expect(await answer.textContent()).toContain('Queued');
    expect(await runCount()).toBe(before + 2);
    const { rows: audit } = await pool().query("select actor, details from audit_log where action = 'admin.sync_now'");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'pat@acme.test', details: { outcome: 'queued' } });

    // the engine records the forbidden project; the page shows it in plain words with the fix
    const problems = s.getByTestId('sync-problems');
    await problems.waitFor({ timeout: 60_000 });
    const forbidden = problems.locator('[data-problem="project_forbidden"]');
    await forbidden.waitFor();
    expect(await forbidden.getAttribute('data-scope')).toBe('project:5002');
    expect(await forbidden.textContent()).toContain('No access to project Oak Street Apartments');
    expect(await forbidden.textContent()).toContain('How to fix: Add the myCOI service account to project Oak Street Apartments');
    await expect.poll(() => answer.count(), { timeout: 30_000 }).toBe(0); // the "queued" answer goes once its runs are done
    expect(await s.locator('[data-kind="push"]').count()).toBe(2);
    await browser.screenshot('console-sync-problems');
    expect(browser.errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
  }, 180_000);

  it('ops see the same sync page for the tenant, and their Sync now answers the same way', async () => {
    await upsertOpsUser(pool(), 'ops@mycoi.test', 'a-long-ops-password');
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/console/ops`);
    const login = page.getByRole('region', { name: 'myCOI ops sign-in' });
    await login.getByLabel('Email').fill('ops@mycoi.test');
    await login.getByLabel('Password').fill('a-long-ops-password');
    await login.getByRole('button', { name: 'Log in' }).click();
    await page
      .getByRole('region', { name: 'Tenants' })
      .locator('[data-tenant="1001"]')
      .getByRole('link', { name: 'Acme Builders' })
      .click();
    const s = sync(page);
    await s.locator('[data-kind="push"][data-status="succeeded"]').first().waitFor();
    expect(await s.locator('[data-problem="project_forbidden"]').count()).toBe(1);
    const before = await runCount();
    await s.getByRole('button', { name: 'Sync now' }).click();
    const answer = s.getByTestId('sync-now-answer');
    await answer.waitFor();
    expect(await answer.getAttribute('data-outcome')).toBe('queued');
    expect(await runCount()).toBe(before + 2);
    await browser.screenshot('console-ops-sync', page);
    await page.close();
  }, 120_000);
});
