import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { recordProblem } from '@mycoi/sync';
import { upsertOpsUser } from '../src/auth/ops-users';
import { putCredential } from '../src/secrets/store';
import { applyTransition } from '../src/tenants/transitions';
import { openBrowser, type BrowserSession } from './support/browser';
import { startTestServer, type TestServer } from './support/server';

// What a customer admin sees of the sync (issue 13), in real Chromium against the whole service
// with its scheduler's worker loop on: "Sync now" queues the first run, the page follows it until
// it is done with its counts, a forced failure shows up with its fix in plain words.

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
  const ring = server.running.config.encryption;
  const { rows } = await pool().query<{ id: string }>(
    "insert into tenants (procore_company_id, name, status, mycoi_account_id, procore_environment) values ('1001', 'Acme Builders', 'awaiting_activation', 'acct-acme', 'local') returning id",
  );
  tenantId = rows[0]!.id;
  await putCredential(pool(), ring, { tenantId, kind: 'procore_dmsa', clientId: 'demo-dmsa-client', clientSecret: 'demo-dmsa-secret' });
  await putCredential(pool(), ring, { tenantId, kind: 'mycoi_service', clientId: 'demo-mycoi-client', clientSecret: 'demo-mycoi-secret' });
  await applyTransition(pool(), tenantId, 'activate', { kind: 'ops', id: 'ops@mycoi.test', ip: null });
  browser = await openBrowser({ viewport: { width: 1280, height: 1000 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const sync = (page: Page) => page.getByRole('region', { name: 'Sync' });
const runCount = async () => (await pool().query<{ n: number }>('select count(*)::int as n from runs where tenant_id = $1', [tenantId])).rows[0]!.n;

describe('customer console: the sync page', () => {
  it('Sync now queues the first run once, the page follows it to its counts, a forced failure shows with its fix', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/console?companyId=1001`);
    await page.getByRole('button', { name: 'Sign in with Procore' }).click();
    await page.waitForURL((u) => u.toString().startsWith(server.procore.url));
    await page.fill('#login', 'pat@acme.test');
    await page.fill('#password', 'password');
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.waitForURL((u) => u.toString().startsWith(`${server.url}/console/`));

    const s = sync(page);
    await s.waitFor();
    expect(await s.getByTestId('sync-state').getAttribute('data-state')).toBe('never_run');
    expect(await s.getByTestId('sync-last-run').textContent()).toBe('None yet');
    expect(await s.getByTestId('sync-next-run').textContent()).not.toBe('Not scheduled');
    expect(await runCount()).toBe(0);

    // one click queues the run (a push and an upkeep, one of each); a second click queues nothing more
    await s.getByRole('button', { name: 'Sync now' }).click();
    const answer = s.getByTestId('sync-now-answer');
    await answer.waitFor();
    expect(await answer.getAttribute('data-outcome')).toBe('queued');
    expect(await answer.textContent()).toContain('Queued');
    expect(await runCount()).toBe(2);
    const { rows: audit } = await pool().query("select actor from audit_log where action = 'admin.sync_now'");
    expect(audit).toEqual([{ actor: 'pat@acme.test' }]);
    const again = await page.evaluate(async () => (await fetch('/api/admin/companies/1001/sync-now', { method: 'POST' })).json());
    expect(again.outcome).toBe('already_queued');
    expect(await runCount()).toBe(2);

    // the page polls while the run is queued/running and settles on its result, with the counts
    const push = s.locator('[data-kind="push"][data-status="succeeded"]');
    await push.waitFor({ timeout: 60_000 });
    await s.locator('[data-kind="upkeep"][data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await expect.poll(async () => s.getByTestId('sync-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('ok');
    const { rows: runs } = await pool().query<{ counts: { created: number }; write_calls: number }>(
      "select counts, write_calls from runs where tenant_id = $1 and kind = 'push'",
      [tenantId],
    );
    expect(runs[0]!.counts.created).toBeGreaterThan(0);
    const cells = await push.locator('td').allTextContents();
    expect(cells).toContain('Compliance push');
    expect(cells).toContain('Sync now');
    expect(cells.some((c) => c.startsWith(`${runs[0]!.counts.created} / `))).toBe(true); // created / updated / deleted / failed
    expect(cells.some((c) => c.endsWith(` / ${runs[0]!.write_calls}`))).toBe(true); // Procore calls / writes
    expect(await s.getByTestId('sync-last-run').textContent()).toContain('succeeded');
    expect(await s.getByTestId('sync-no-problems').isVisible()).toBe(true);
    await expect.poll(() => answer.count()).toBe(0); // the "queued" answer goes once its runs are done
    await browser.screenshot('console-sync-first-run');

    // forced failure: the DMSA loses a project (Procore admin edits the app's permitted projects),
    // and Procore refuses a row. The engine's recording of these problems is another change in
    // flight (issue 12); until it lands the problems are recorded here the way the engine will.
    const project = [...server.procore.state.projects.values()].find((p) => p.company_id === 1001)!;
    const permitted = [...server.procore.state.projects.values()].filter((p) => p.company_id === 1001 && p.id !== project.id).map((p) => p.id);
    server.procore.admin.setInstallation('demo-dmsa-client', 1001, { permittedProjectIds: permitted });
    await recordProblem(pool(), tenantId, {
      kind: 'project_forbidden',
      scope: `project:${project.id}`,
      title: `No access to project ${project.name}`,
      detail: `Procore answered 403 for project ${project.name}: the myCOI service account is not among the app's permitted projects.`,
      fix: `In Procore, Company Admin → App Management → myCOI, add ${project.name} to the permitted projects.`,
    });
    await recordProblem(pool(), tenantId, {
      kind: 'row_rejected',
      scope: 'row:mycoi:v:ven_acme_summit:gl',
      title: 'Procore refused an insurance row for Summit Electric',
      detail: 'Procore answered: "expiration_date must be after effective_date".',
      fix: 'Correct the policy dates of Summit Electric’s general liability certificate in myCOI; the next sync writes it again.',
    });
    await s.getByRole('button', { name: 'Refresh' }).click();
    const problems = s.getByTestId('sync-problems');
    await problems.waitFor();
    const forbidden = problems.locator('[data-problem="project_forbidden"]');
    expect(await forbidden.textContent()).toContain(`No access to project ${project.name}`);
    expect(await forbidden.textContent()).toContain(`How to fix: In Procore, Company Admin → App Management → myCOI, add ${project.name}`);
    expect(await problems.locator('[data-problem="row_rejected"]').textContent()).toContain('How to fix: Correct the policy dates');
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
    await page.getByRole('region', { name: 'Tenants' }).locator('[data-tenant="1001"]').getByRole('link', { name: 'Acme Builders' }).click();
    const s = sync(page);
    await s.locator('[data-kind="push"][data-status="succeeded"]').waitFor();
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
