import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from '../../api/test/support/browser';
import { startTestServer, type TestServer } from '../../api/test/support/server';
import { seedPanelTenant } from '../../api/test/panel-fixtures';
import { ensurePanelBuilt, harnessUrl, panelFrame, signIn, unexpectedErrors } from './harness';

// The side panel in real Chromium, framed by the Procore sandbox's harness page exactly as Procore
// frames it, against the real service (database, both sandboxes over loopback HTTP).

let server: TestServer;
let browser: BrowserSession;
let tenantId: string;

beforeAll(async () => {
  ensurePanelBuilt();
  server = await startTestServer();
  tenantId = await seedPanelTenant(server.running.db.pool, server.running.config);
  browser = await openBrowser({ viewport: { width: 1280, height: 1000 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const acme = () => server.mycoi.state;

describe('side panel in the Procore harness', () => {
  it('handshakes, signs in to Procore (popup) and myCOI, and creates a commitment with its project and vendor', async () => {
    const page = await browser.context.newPage();
    await page.goto(harnessUrl(server, 'commitment/900009'));
    const f = panelFrame(page);
    await expect.poll(() => f.getByRole('button', { name: 'Sign in with Procore' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __harnessLog: string[][] }).__harnessLog)).toEqual([['in', 'initialize'], ['out', 'setup']]);
    await browser.screenshot('panel-sign-in', page);
    await signIn(browser, page);

    const row = f.getByTestId('row-commitment');
    await expect.poll(() => row.isVisible()).toBe(true);
    expect(await f.getByTestId('signed-in-as').textContent()).toContain('Pat Admin');
    expect(await f.getByTestId('row-project').getAttribute('data-linked')).toBe('no');
    await browser.screenshot('panel-commitment-unlinked', page);

    await row.getByRole('button', { name: 'Create in myCOI' }).click();
    await expect.poll(() => f.getByLabel('Supplier').isVisible()).toBe(true);
    expect(await f.getByLabel('Title').inputValue()).toBe('Drywall board'); // prefilled from Procore
    expect(await f.getByText('This also creates the project and vendor in myCOI.').isVisible()).toBe(true);
    await f.getByLabel('Title').fill('Drywall board supply');
    await f.getByLabel('Supplier').check();
    await browser.screenshot('panel-create-commitment', page);
    await f.getByTestId('create-commitment-submit').click();

    await expect.poll(() => row.getAttribute('data-linked')).toBe('yes');
    expect(await f.getByTestId('row-project').getAttribute('data-linked')).toBe('yes');
    expect(await f.getByTestId('row-vendor').getAttribute('data-linked')).toBe('yes');
    const assignments = acme().assignments.ofAccount('acct-acme').filter((a) => a.external_id === '900009');
    expect(assignments).toHaveLength(1);
    expect(assignments[0]).toMatchObject({ title: 'Drywall board supply', insurance_set_id: 'set_acme_sup', contract_id: 'PO-201' });
    expect(acme().divisions.ofAccount('acct-acme').filter((d) => d.external_id === '5003')).toHaveLength(1);
    expect(acme().vendors.ofAccount('acct-acme').filter((v) => v.external_id === '70008')).toHaveLength(1);
    await expect.poll(() => f.getByTestId('compliance-status').isVisible()).toBe(true);
    await browser.screenshot('panel-commitment-linked', page);

    const { rows } = await server.running.db.pool.query<{ action: string; actor: string }>(
      `select action, actor from audit_log where tenant_id = $1 and action like 'panel.%' order by id`,
      [tenantId],
    );
    expect(rows.map((r) => r.action)).toEqual(['panel.sign_in', 'panel.create_project', 'panel.create_vendor', 'panel.create_commitment']);
    expect(new Set(rows.map((r) => r.actor))).toEqual(new Set(['pat@acme.test']));
    expect(unexpectedErrors(browser)).toEqual([]);
    await page.close();
  });
});
