import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from './support/browser';
import { startTestServer, type TestServer } from './support/server';

// The whole setup-to-activation path in a real Chromium against the real service (real DB, real
// HTTP, the Procore and myCOI sandboxes): what a customer admin and then myCOI ops see and do.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MYCOI_WEBHOOK_SECRET = 'console-test-mycoi-webhook-secret-0123';
let server: TestServer;
let browser: BrowserSession;

beforeAll(async () => {
  // The console is served from its Vite build; build it if this checkout has not yet (CI runs build:web first).
  if (!existsSync(path.join(repoRoot, 'apps/console/dist/index.html'))) {
    execFileSync('npm', ['run', 'build', '-w', '@mycoi/console'], { cwd: repoRoot, stdio: 'inherit' });
  }
  // Events: myCOI signs compliance.updated webhooks with this secret; a short coalescing window keeps the test quick.
  server = await startTestServer({ env: { MYCOI_WEBHOOK_SECRET, EVENTS_COALESCE_MS: '100' } });
  server.mycoi.admin.setWebhook({ url: `${server.url}/webhooks/mycoi`, secret: MYCOI_WEBHOOK_SECRET, backoffMs: 50 });
  browser = await openBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const section = (page: Page, title: string | RegExp) => page.getByRole('region', { name: title });

/**
 * Script errors and console errors the app logs. Chromium also logs every 4xx response as "Failed
 * to load resource"; those are expected here (401 session probes, the 409 refusal) and each one the
 * user should notice is asserted on screen instead.
 */
function unexpectedErrors(): string[] {
  return browser.errors.filter((e) => !e.includes('Failed to load resource'));
}

describe('console in Chromium: admin setup, then ops activation', () => {
  it('admin signs in through Procore, registers, fixes bad DMSA credentials, validates, chooses features and requests activation', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/console?companyId=1001`); // Procore's post-install link
    await page.getByRole('heading', { name: 'Sign in with Procore' }).waitFor();
    expect(await page.textContent('body')).toContain('Procore company ID: 1001');
    await browser.screenshot('console-01-sign-in');

    // Procore's consent page (the sandbox's), then back to the console with a verified session.
    await page.getByRole('button', { name: 'Sign in with Procore' }).click();
    await page.waitForURL((u) => u.toString().startsWith(server.procore.url));
    await page.fill('#login', 'pat@acme.test');
    await page.fill('#password', 'password');
    await browser.screenshot('console-02-procore-consent');
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.waitForURL((u) => u.toString().startsWith(`${server.url}/console/`));

    const register = section(page, 'Register Acme Builders');
    await register.waitFor();
    expect(await page.textContent('body')).toContain('Signed in as');
    // the environment this service talks to is preselected and marked (never "Production" by accident)
    expect(await register.getByRole('radio', { name: /Local demo sandbox/ }).isChecked()).toBe(true);
    expect(await register.textContent()).toContain('the environment this service is connected to');
    await register.getByRole('radio', { name: /Local demo sandbox/ }).check();
    await browser.screenshot('console-03-register');
    await register.getByRole('button', { name: 'Register company' }).click();

    // Step 1: inline validation first, then a wrong secret.
    const creds = section(page, '1. Procore DMSA credentials');
    await creds.waitFor();
    expect(await page.getByTestId('dmsa-summary').textContent()).toBe('Not set');
    // nothing to request yet: the button waits for the items marked "To do"
    expect(await section(page, '4. Request activation').getByRole('button', { name: 'Request activation' }).isDisabled()).toBe(true);
    expect(await page.getByTestId('activation-hint').textContent()).toContain('To do');
    await creds.getByRole('button', { name: 'Save credentials' }).click();
    await creds.getByText('Client ID: at least 4 characters').waitFor();
    await creds.getByLabel('DMSA client ID').fill('demo-dmsa-client');
    await creds.getByLabel('DMSA client secret').fill('not-the-secret');
    await creds.getByRole('button', { name: 'Save credentials' }).click();
    await creds.getByText('Credentials saved. Validate them next.').waitFor();
    expect(await page.getByTestId('dmsa-summary').textContent()).toBe('Set · client ID …ient · not validated yet');
    expect(await creds.getByLabel('DMSA client secret').inputValue()).toBe(''); // never prefilled

    const validate = section(page, '2. Validate the credentials');
    await validate.getByRole('button', { name: 'Validate credentials' }).click();
    const token = validate.locator('[data-check="token"]');
    await token.waitFor();
    expect(await token.getAttribute('data-ok')).toBe('false');
    expect(await token.textContent()).toContain('How to fix: Check the client ID and secret of the DMSA app');
    // the checks after the failing one did not run: shown as skipped, not as five more failures
    expect(await validate.locator('[data-check="commitments"]').getAttribute('data-skipped')).toBe('true');
    expect(await validate.locator('[data-check="commitments"]').textContent()).toContain('Skipped');
    expect(await validate.textContent()).toContain('1 failed, 5 skipped');
    await browser.screenshot('console-04-validation-failed');

    // the saved client ID stays in its field: re-saving only a new secret works
    expect(await creds.getByLabel('DMSA client ID').inputValue()).toBe('demo-dmsa-client');
    await creds.getByLabel('DMSA client secret').fill('demo-dmsa-secret');
    // editing clears the earlier "saved" banner, so the next one is this save's own
    expect(await creds.getByText('Credentials saved. Validate them next.').count()).toBe(0);
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/admin/companies/1001/credentials') && r.request().method() === 'PUT');
    await creds.getByRole('button', { name: 'Save credentials' }).click();
    expect((await saved).status()).toBe(200);
    await creds.getByText('Credentials saved. Validate them next.').waitFor();
    // Slow Procore down so the progress state is observable: a spinner and the steps being checked.
    server.procore.faults.set({ latencyMs: 400 });
    await validate.getByRole('button', { name: /Validate/ }).click();
    const progress = validate.getByRole('status');
    await progress.waitFor();
    expect(await progress.textContent()).toContain('Checking with Procore');
    await browser.screenshot('console-05a-validating');
    await validate.getByText('All checks passed').waitFor();
    server.procore.faults.clear();
    for (const id of ['token', 'company', 'projects', 'directory', 'commitments', 'projectAccess']) {
      expect(await validate.locator(`[data-check="${id}"]`).getAttribute('data-ok'), id).toBe('true');
    }
    expect(await page.getByTestId('dmsa-summary').textContent()).toMatch(/^Set · client ID …ient · validated /);
    await browser.screenshot('console-05-validated');

    // Step 3: features and settings, with an inline error on a bad recipient.
    const settings = section(page, '3. Features and settings');
    await settings.getByRole('radio', { name: 'Both', exact: true }).check();
    await settings.getByRole('radio', { name: /Both levels/ }).check();
    await settings.getByLabel('Digest recipients').fill('risk@acme.test, not-an-email');
    await settings.getByRole('button', { name: 'Save features and settings' }).click();
    await settings.getByText('Not an email address: not-an-email').waitFor();
    await settings.getByLabel('Digest recipients').fill('risk@acme.test');
    await settings.getByRole('button', { name: 'Save features and settings' }).click();
    await settings.getByText('Settings saved.').waitFor();
    await browser.screenshot('console-06-settings');

    await section(page, '4. Request activation').getByRole('button', { name: 'Request activation' }).click();
    await page.getByText('Awaiting activation by myCOI').waitFor();
    expect(await page.getByTestId('legacy-status').textContent()).toContain('Still on');
    await browser.screenshot('console-07-awaiting-activation');
  }, 60_000);

  it('ops log in, see the tenant waiting, cannot activate before the myCOI account is set, then activate it', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/console/ops`);
    const login = section(page, 'myCOI ops sign-in');
    await login.waitFor();
    await login.getByLabel('Email').fill('ops@mycoi.test');
    await login.getByLabel('Password').fill('wrong-password');
    await login.getByRole('button', { name: 'Log in' }).click();
    await login.getByText('Wrong email or password').waitFor();
    await login.getByLabel('Password').fill('ops-demo-password');
    await login.getByRole('button', { name: 'Log in' }).click();

    const list = section(page, 'Tenants');
    const row = list.locator('[data-tenant="1001"]');
    await row.waitFor();
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('awaiting_activation');
    expect(await row.textContent()).toContain('Acme Builders');
    await browser.screenshot('console-08-ops-tenants', page);

    await list.getByLabel('Status').selectOption('active');
    await list.getByText('No tenants match these filters.').waitFor();
    await list.getByLabel('Status').selectOption('awaiting_activation');
    await row.waitFor();

    await row.getByRole('link', { name: 'Acme Builders' }).click();
    const lifecycle = section(page, 'Lifecycle');
    await lifecycle.waitFor();
    expect(await section(page, 'Setup checks').textContent()).toContain('All checks passed');

    // Activation needs the tenant's myCOI account: the API refuses, the console says what is missing.
    await lifecycle.getByRole('button', { name: 'Activate', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Activate', exact: true }).click();
    const refusal = lifecycle.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('The action did not go through');

    const mycoi = section(page, 'myCOI account');
    await mycoi.getByLabel('myCOI account ID').fill('acct-acme');
    await mycoi.getByLabel('myCOI client ID').fill('demo-mycoi-client');
    await mycoi.getByLabel('myCOI client secret').fill('demo-mycoi-secret');
    await mycoi.getByRole('button', { name: 'Save myCOI account' }).click();
    await mycoi.getByText('myCOI account saved.').waitFor();
    expect(await page.getByTestId('mycoi-account').textContent()).toBe('acct-acme');
    await mycoi.getByRole('button', { name: 'Test connection' }).click();
    await mycoi.getByText('All checks passed').waitFor();
    await browser.screenshot('console-09-ops-tenant-ready', page);

    await lifecycle.getByRole('button', { name: 'Activate', exact: true }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('button', { name: 'Cancel' }).count()).toBe(1);
    expect(await dialog.textContent()).toContain('legacy');
    await dialog.getByLabel(/Reason/).fill('Setup reviewed');
    await dialog.getByRole('button', { name: 'Activate', exact: true }).click();
    await lifecycle.getByText('Tenant activated.').waitFor();
    await page.locator('h1 + [data-status="active"]').waitFor();
    expect(await lifecycle.getByTestId('legacy-status').textContent()).toContain('Retired');
    const audit = section(page, 'Audit trail');
    await audit.locator('[data-action="tenant.activate"]').waitFor();
    for (const action of [
      'tenant.registered',
      'credentials.dmsa_set',
      'credentials.dmsa_validated',
      'tenant.request_activation',
      'credentials.mycoi_set',
    ]) {
      expect(await audit.locator(`[data-action="${action}"]`).count(), action).toBeGreaterThan(0);
    }
    await browser.screenshot('console-10-ops-tenant-active', page);

    // Observability: a compliance change in myCOI arrives as a signed webhook and shows on the tenant page.
    // the sync section follows the activation without a reload: activation queued the first runs, and
    // this test's service runs no scheduler, so the page says they will not start (and does not poll)
    await expect.poll(() => section(page, 'Sync').getByTestId('sync-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('queued');
    expect(await section(page, 'Sync').getByTestId('sync-state').textContent()).toContain(
      'syncing is turned off on this service, so it will not start',
    );
    expect(await section(page, 'Sync').getByTestId('sync-now-hint').textContent()).toContain('Syncing is turned off on this service');
    const events = section(page, 'Events');
    // the webhook registered by the activation appears without a reload
    await expect.poll(() => events.getByTestId('events-hook').textContent(), { timeout: 30_000 }).toMatch(/^registered/);
    expect(await events.getByTestId('events-received-total').textContent()).toBe('0');
    expect(await events.textContent()).toContain('No events received yet.');
    server.mycoi.admin.setCompliance({ vendorId: 'ven_acme_summit' }, { status: 'finalized_non_compliant' });
    await server.mycoi.admin.flushWebhooks(); // delivered and acknowledged = stored and counted
    // Refresh until the event is handled (it is coalesced for 100 ms, then pushed to Procore).
    const handled = events.locator('[data-event-source="mycoi"][data-event-status="handled"]');
    for (let i = 0; i < 40 && (await handled.count()) === 0; i++) {
      const answered = page.waitForResponse((r) => r.url().endsWith(`/events`) && r.request().method() === 'GET');
      await events.getByRole('button', { name: 'Refresh' }).click();
      expect((await answered).status()).toBe(200);
      if ((await handled.count()) === 0) await page.waitForTimeout(250);
    }
    expect(Number(await events.getByTestId('events-received-total').textContent())).toBeGreaterThan(0);
    expect(await handled.first().textContent()).toContain('compliance.updated');
    expect(await handled.first().textContent()).toContain('vendor ven_acme_summit compliance');
    expect(await events.getByTestId('events-pending').textContent()).toBe('0');
    expect(await events.getByTestId('events-hook').textContent()).toMatch(/^registered · \d+ triggers/);
    await browser.screenshot('console-ops-events', page);

    await page.getByRole('button', { name: 'Outbox' }).click();
    const outbox = section(page, 'Outbox (emails sent)');
    const mails = outbox.getByRole('list', { name: 'Emails sent' });
    await mails.waitFor();
    expect(await mails.textContent()).toContain('Acme Builders'); // the activation request mailed to ops
    await browser.screenshot('console-11-ops-outbox', page);
    await page.close();

    // The customer admin sees the result.
    await browser.page.reload();
    await browser.page.getByText('The integration is running for your company.').waitFor();
    expect(await browser.page.getByTestId('legacy-status').textContent()).toContain('Turned off');
    await browser.screenshot('console-12-admin-active');
    expect(unexpectedErrors()).toEqual([]);
  }, 60_000);

  it('a Procore user from another company is turned away at sign-in with a clear reason', async () => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/console/?companyId=1001`);
    await page.getByRole('button', { name: 'Sign in with Procore' }).click();
    await page.waitForURL((u) => u.toString().startsWith(server.procore.url));
    await page.fill('#login', 'olga@other.test');
    await page.fill('#password', 'password');
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.waitForURL((u) => u.toString().startsWith(`${server.url}/console/`));
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('not a member of this company');
    expect(await page.getByRole('button', { name: 'Sign in with Procore' }).count()).toBe(1); // can try again
    await browser.screenshot('console-13-sign-in-not-member', page);
    await page.close();
  }, 60_000);
});
