import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from '../../api/test/support/browser';
import { PROCORE_LIMITS, startTestServer, type TestServer } from '../../api/test/support/server';
import { seedPanelTenant, setTenant } from '../../api/test/panel-fixtures';
import { ensurePanelBuilt, harnessUrl, panelFrame, signIn, unexpectedErrors } from './harness';

// The side panel in real Chromium, framed by the Procore sandbox's harness page exactly as Procore
// frames it, against the real service (database, both sandboxes over loopback HTTP), with Procore
// at its documented rate limits (3,600 an hour, 25 per 10 s).

let server: TestServer;
let browser: BrowserSession;
let tenantId: string;

beforeAll(async () => {
  ensurePanelBuilt();
  server = await startTestServer({ procore: { rateLimit: PROCORE_LIMITS } });
  tenantId = await seedPanelTenant(server.running.db.pool, server.running.config);
  browser = await openBrowser({ viewport: { width: 1280, height: 1000 } });
}, 120_000);

// Each test is a fresh browser session: the panel keeps its sign-in for the session (a partitioned
// cookie where Chromium blocks third-party storage), so without this the next test starts signed in.
beforeEach(async () => {
  await browser.context.clearCookies();
});

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
    expect(await page.evaluate(() => (window as unknown as { __harnessLog: string[][] }).__harnessLog)).toEqual([
      ['in', 'initialize'],
      ['out', 'setup'],
    ]);
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
    const assignments = acme()
      .assignments.ofAccount('acct-acme')
      .filter((a) => a.external_id === '900009');
    expect(assignments).toHaveLength(1);
    expect(assignments[0]).toMatchObject({ title: 'Drywall board supply', insurance_set_id: 'set_acme_sup', contract_id: 'PO-201' });
    expect(
      acme()
        .divisions.ofAccount('acct-acme')
        .filter((d) => d.external_id === '5003'),
    ).toHaveLength(1);
    expect(
      acme()
        .vendors.ofAccount('acct-acme')
        .filter((v) => v.external_id === '70008'),
    ).toHaveLength(1);
    await expect.poll(() => f.getByTestId('compliance-status').isVisible()).toBe(true);
    // a new commitment is "In-Progress; Undecided" with no coverage lines yet: the panel says why
    expect(await f.getByTestId('compliance-status').textContent()).toBe('In-Progress; Undecided');
    expect(await f.getByTestId('no-lines-explained').textContent()).toContain('no certificate of insurance has been reviewed');
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

  it("creates the project (matching myCOI's record) and links the vendor to an existing myCOI record instead of duplicating it", async () => {
    const page = await browser.context.newPage();
    await page.goto(harnessUrl(server, 'commitment/900007')); // Oak Street, Cascade HVAC (in myCOI without a Procore id)
    await signIn(browser, page);
    const f = panelFrame(page);
    const project = f.getByTestId('row-project');
    await project.getByRole('button', { name: 'Create in myCOI' }).click();
    expect(await f.getByLabel('Name').inputValue()).toBe('Oak Street Apartments');
    await f.getByTestId('create-project-submit').click();
    await expect.poll(() => project.getAttribute('data-linked')).toBe('yes');
    // "Create" found the record myCOI already had: the row says so instead of a silent "Matched"
    expect(await f.getByTestId('linked-project').getAttribute('data-source')).toBe('matched');
    expect(await f.getByTestId('linked-project').textContent()).toContain(
      'myCOI already had this project: linked to the existing record “Oak Street Apartments” instead of creating a new one',
    );

    const vendor = f.getByTestId('row-vendor');
    const cascadeBefore = acme()
      .vendors.ofAccount('acct-acme')
      .filter((v) => v.name === 'Cascade HVAC Services').length;
    await vendor.getByRole('button', { name: 'Link existing' }).click();
    const linkBtn = f.getByRole('button', { name: 'Link Cascade HVAC Services' });
    await expect.poll(() => linkBtn.isVisible()).toBe(true);
    await browser.screenshot('panel-link-existing', page);
    await linkBtn.click();
    await expect.poll(() => vendor.getAttribute('data-linked')).toBe('yes');
    expect(await f.getByTestId('linked-vendor').textContent()).toContain('Linked as “Cascade HVAC Services”');
    expect(
      acme()
        .vendors.ofAccount('acct-acme')
        .filter((v) => v.name === 'Cascade HVAC Services').length,
    ).toBe(cascadeBefore);
    expect(
      acme()
        .vendors.ofAccount('acct-acme')
        .filter((v) => v.external_id === '70006'),
    ).toHaveLength(0);
    await page.close();
  });

  it('makes one record when the create button is double-clicked', async () => {
    const page = await browser.context.newPage();
    await page.goto(harnessUrl(server, 'commitment/900008')); // vendor 70007 is not in myCOI
    await signIn(browser, page);
    const f = panelFrame(page);
    const vendor = f.getByTestId('row-vendor');
    await vendor.getByRole('button', { name: 'Create in myCOI' }).click();
    await f.getByTestId('create-vendor-submit').dblclick();
    await expect.poll(() => vendor.getAttribute('data-linked')).toBe('yes');
    expect(
      acme()
        .vendors.ofAccount('acct-acme')
        .filter((v) => v.external_id === '70007'),
    ).toHaveLength(1);
    const { rows } = await server.running.db.pool.query(
      `select count(*)::int as n from audit_log where tenant_id = $1 and action = 'panel.create_vendor' and details->>'procoreId' = '70007'`,
      [tenantId],
    );
    expect(rows[0].n).toBe(1);
    await page.close();
  });

  it('shows vendor-level compliance on a Project Directory vendor, refreshes it now, and ends the session when Procore closes the panel', async () => {
    const page = await browser.context.newPage();
    await page.goto(harnessUrl(server, 'vendor/5001/70001'));
    await signIn(browser, page);
    const f = panelFrame(page);
    const vendor = f.getByTestId('row-vendor');
    await vendor.getByRole('button', { name: 'Link existing' }).click();
    await f.getByRole('button', { name: 'Link Bright Electric LLC' }).click();
    await expect.poll(() => f.getByTestId('compliance-status').textContent()).toBe('Finalized; Compliant');
    // what Procore's Insurance tab shows, from the sync engine's own mapping
    expect(await f.getByTestId('procore-status').textContent()).toBe('In Procore: Compliant');
    expect(await f.getByRole('list', { name: 'Coverage lines' }).getByRole('listitem').count()).toBe(4);
    await f.getByRole('button', { name: 'Refresh now' }).click();
    // a targeted push through the sync engine, in the request: the Company Directory rows exist now
    await expect.poll(() => f.getByTestId('refresh-result').textContent()).toContain('Pushed to Procore (4 insurance rows changed)');
    const runs = await server.running.db.pool.query(`select target, status from runs where tenant_id = $1 and kind = 'targeted'`, [
      tenantId,
    ]);
    // (one targeted run of the job queue: the panel's owner merged into the tenant's queued targeted run)
    expect(runs.rows).toEqual([{ target: { vendorIds: ['ven_acme_bright'], assignmentIds: [] }, status: 'succeeded' }]);
    const ours = [...server.procore.state.insurances.values()].filter(
      (i) => i.vendor_id === 70001 && i.project_id === null && i.origin_id?.startsWith('mycoi:'),
    );
    expect(ours).toHaveLength(4);
    await browser.screenshot('panel-vendor-compliance', page);

    await page.getByRole('button', { name: 'Close' }).click(); // Procore's close → sidepanel:app:destroy
    await expect.poll(() => f.getByTestId('panel-closed').isVisible()).toBe(true);
    await expect
      .poll(
        async () =>
          (
            await server.running.db.pool.query(
              `select count(*)::int as n from panel_sessions where tenant_id = $1 and revoked_at is not null`,
              [tenantId],
            )
          ).rows[0].n,
      )
      .toBe(1);
    await page.close();
  });

  it('says so when the tenant is not active or the side panel is off', async () => {
    const page = await browser.context.newPage();
    await setTenant(server.running.db.pool, tenantId, { status: 'awaiting_activation' });
    try {
      await page.goto(harnessUrl(server, 'commitment/900001'));
      await expect.poll(() => panelFrame(page).getByTestId('tenant-not_active').isVisible()).toBe(true);
      await browser.screenshot('panel-tenant-not-active', page);
    } finally {
      await setTenant(server.running.db.pool, tenantId, { status: 'active' });
    }
    await setTenant(server.running.db.pool, tenantId, { sidePanel: false });
    try {
      await page.reload();
      await expect.poll(() => panelFrame(page).getByTestId('tenant-feature_off').isVisible()).toBe(true);
      expect(await panelFrame(page).getByRole('button', { name: 'Sign in with Procore' }).count()).toBe(0);
    } finally {
      await setTenant(server.running.db.pool, tenantId, { sidePanel: true });
    }
    await page.close();
  });

  it('hides commitment actions when the app lacks the commitments tool, and the rest works', async () => {
    const page = await browser.context.newPage();
    const config = server.running.config;
    await setTenant(server.running.db.pool, tenantId, { dmsa: ['demo-nocommit-client', 'demo-nocommit-secret'], config });
    try {
      await page.goto(harnessUrl(server, 'commitment/900001'));
      await signIn(browser, page);
      const f = panelFrame(page);
      await expect.poll(() => f.getByTestId('commitments-tool-missing').isVisible()).toBe(true);
      expect(await f.getByTestId('row-commitment').count()).toBe(0);
      expect(await f.getByTestId('row-project').isVisible()).toBe(true);
      await browser.screenshot('panel-commitments-tool-missing', page);
    } finally {
      await setTenant(server.running.db.pool, tenantId, { dmsa: ['demo-dmsa-client', 'demo-dmsa-secret'], config });
    }
    await page.close();
  });

  it('says it must be opened from Procore when opened directly', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/panel/?companyId=1001&projectId=5001`);
    await expect.poll(() => page.getByTestId('outside-procore').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Sign in with Procore' }).count()).toBe(0);
    await browser.screenshot('panel-outside-procore', page);
    await page.close();
  });

  it('ignores postMessages from any origin but the Procore parent', async () => {
    // No real handshake, only a forged setup from another origin: the panel must not take it.
    const lone = await browser.context.newPage();
    await lone.goto(harnessUrl(server, 'commitment/900001?handshake=off&spoof=1'));
    await expect.poll(() => panelFrame(lone).getByText('Waiting for Procore').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await panelFrame(lone).getByRole('button', { name: 'Sign in with Procore' }).count()).toBe(0);
    await lone.close();

    // The real handshake plus a spoofer posting another commitment and "destroy" every 200 ms.
    const page = await browser.context.newPage();
    await page.goto(harnessUrl(server, 'commitment/900001?spoof=1'));
    await signIn(browser, page);
    const f = panelFrame(page);
    await expect.poll(() => f.getByTestId('row-commitment').getAttribute('aria-label')).toContain('SC-001');
    expect(await f.getByTestId('panel-closed').count()).toBe(0);
    await page.close();
    expect(unexpectedErrors(browser)).toEqual([]);
  });
});
