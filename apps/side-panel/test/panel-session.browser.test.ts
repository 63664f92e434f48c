import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from '../../api/test/support/browser';
import { startTestServer, type TestServer } from '../../api/test/support/server';
import { seedPanelTenant } from '../../api/test/panel-fixtures';
import { ensurePanelBuilt, harnessUrl, panelFrame, signIn, unexpectedErrors } from './harness';

// The panel keeps its sign-ins for the browser session (issue 13) without third-party cookies: the
// bearer token sits in the iframe's partitioned sessionStorage, the server decides on every load
// whether it still stands. Real Chromium in the Procore sandbox's 400 px harness, the real service.

let server: TestServer;
let browser: BrowserSession;

beforeAll(async () => {
  ensurePanelBuilt();
  server = await startTestServer();
  await seedPanelTenant(server.running.db.pool, server.running.config);
  browser = await openBrowser({ viewport: { width: 1280, height: 1000 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const pool = () => server.running.db.pool;
const signInButton = (page: Page) => panelFrame(page).getByRole('button', { name: 'Sign in with Procore' });
const signedInAs = (page: Page) => panelFrame(page).getByTestId('signed-in-as');

/** What the panel shows now: the record (signed in), the sign-in form, or neither yet (loading). */
async function shown(page: Page): Promise<'signed-in' | 'sign-in' | null> {
  if (await signedInAs(page).isVisible()) return 'signed-in';
  if (await signInButton(page).isVisible()) return 'sign-in';
  return null;
}

/**
 * Waits until the panel shows `state` (fails after 20 s otherwise). Reaching 'signed-in' without
 * the test signing in can only come from the kept session: that is the "no sign-in asked".
 */
async function settled(page: Page, state: 'signed-in' | 'sign-in'): Promise<void> {
  await expect.poll(() => shown(page), { timeout: 20_000 }).toBe(state);
}

/** After a page load with a kept session: the record comes back and the sign-in form never shows meanwhile. */
async function restoredWithoutSignIn(page: Page): Promise<void> {
  const seen = new Set<string | null>();
  const end = Date.now() + 20_000;
  for (;;) {
    const now = await shown(page);
    seen.add(now);
    if (now === 'signed-in' || Date.now() > end) break;
    await page.waitForTimeout(25);
  }
  expect([...seen]).not.toContain('sign-in');
  expect(seen.has('signed-in')).toBe(true);
}

const panelOf = (page: Page): Frame => page.frames().find((f) => f.name() === 'panel-frame' || f.url().startsWith(server.url))!;

/** The token the panel kept, read inside its frame the way the panel reads it; null when none. */
async function keptToken(page: Page): Promise<string | null> {
  return panelOf(page).evaluate(() => {
    let raw: string | null = null;
    try {
      raw = sessionStorage.getItem('mycoi-panel-session:1001');
    } catch {
      const hit = document.cookie.split('; ').find((c) => c.startsWith('mycoi-panel-session-1001='));
      raw = hit ? decodeURIComponent(hit.slice('mycoi-panel-session-1001='.length)) : null;
    }
    return raw ? (JSON.parse(raw) as { token: string }).token : null;
  });
}

describe('side panel sign-ins kept across page loads', () => {
  it('sign in once; reload and another commitment ask nothing; sign out asks again; an expired session asks again', async () => {
    const page = await browser.context.newPage();
    await page.goto(harnessUrl(server, 'commitment/900009'));
    await settled(page, 'sign-in');
    await signIn(browser, page);
    await expect.poll(() => panelFrame(page).getByTestId('row-commitment').isVisible()).toBe(true);
    const { rows: sessions } = await pool().query('select count(*)::int as n from panel_sessions');
    expect(sessions[0].n).toBe(1);

    // kept in the panel's partitioned storage (sessionStorage, or a CHIPS cookie where Chromium blocks
    // third-party DOM storage); the API itself never authenticates by cookie
    expect(await keptToken(page)).toMatch(/^[\w-]{43}$/);
    const apiCookies = await browser.context.cookies(`${server.url}/api/panel/session`);
    expect(apiCookies.filter((c) => c.name.startsWith('mycoi-panel-session'))).toEqual([]);

    await page.reload();
    await restoredWithoutSignIn(page);
    await expect.poll(() => panelFrame(page).getByTestId('row-commitment').isVisible()).toBe(true);

    await page.goto(harnessUrl(server, 'commitment/900007')); // another record, same tab
    await restoredWithoutSignIn(page);
    await expect.poll(() => panelFrame(page).getByTestId('row-commitment').isVisible()).toBe(true);
    // still the one sign-in
    expect((await pool().query("select count(*)::int as n from audit_log where action = 'panel.sign_in'")).rows[0].n).toBe(1);

    // the kept session renews: expiry slides forward, never past the myCOI sign-in's lifetime
    const token = (await keptToken(page))!;
    await pool().query("update panel_sessions set expires_at = now() + interval '2 minutes'");
    const renewed = await fetch(`${server.url}/api/panel/session/renew`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(renewed.status).toBe(200);
    const body = (await renewed.json()) as { expiresAt: string; token: string };
    // the sandbox's myCOI user token lives 15 minutes: the renewal slides expiry back to that limit
    expect(new Date(body.expiresAt).getTime() - Date.now()).toBeGreaterThan(10 * 60_000);
    const { rows: cap } = await pool().query<{ renew_until: Date; expires_at: Date }>('select renew_until, expires_at from panel_sessions');
    expect(cap[0]!.expires_at.toISOString()).toBe(body.expiresAt);
    expect(cap[0]!.expires_at.getTime()).toBeLessThanOrEqual(cap[0]!.renew_until.getTime());
    expect(
      (
        await fetch(`${server.url}/api/panel/session/renew`, {
          method: 'POST',
          headers: { authorization: 'Bearer not-a-real-token-000000000' },
        })
      ).status,
    ).toBe(401);

    // sign out: the server revokes it and the storage is cleared; a reload asks again
    await panelFrame(page).getByRole('button', { name: 'Sign out' }).click();
    await settled(page, 'sign-in');
    await page.reload();
    await settled(page, 'sign-in');
    expect(await keptToken(page)).toBeNull();
    expect((await fetch(`${server.url}/api/panel/session`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);

    // sign in again, then the server-side session expires (idle): the next load asks again
    await signIn(browser, page);
    await settled(page, 'signed-in');
    await pool().query("update panel_sessions set expires_at = now() - interval '1 second' where revoked_at is null");
    await page.reload();
    await settled(page, 'sign-in');
    expect(await keptToken(page)).toBeNull();

    // and a revoked one (e.g. ended by the server) likewise
    await signIn(browser, page);
    await settled(page, 'signed-in');
    await pool().query('update panel_sessions set revoked_at = now() where revoked_at is null');
    await page.goto(harnessUrl(server, 'commitment/900009'));
    await settled(page, 'sign-in');
    expect(unexpectedErrors(browser)).toEqual([]);
    await page.close();
  }, 180_000);
});

describe('the open panel renews its session before it expires', () => {
  it('a renewal timer fires in the panel and slides the server-side expiry forward', async () => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.clock.install(); // the panel's timers run on a clock this test moves
    await page.goto(harnessUrl(server, 'commitment/900009'));
    await settled(page, 'sign-in');
    await signIn(browser, page);
    await settled(page, 'signed-in');
    // the server-side session is about to lapse (idle); the open panel renews it on its own
    await pool().query("update panel_sessions set expires_at = now() + interval '2 minutes' where revoked_at is null");
    const renewed = page.waitForRequest((r) => r.url().endsWith('/api/panel/session/renew') && r.method() === 'POST');
    await page.clock.fastForward('10:00');
    await renewed;
    await expect
      .poll(async () => {
        const { rows } = await pool().query<{ expires_at: Date }>('select expires_at from panel_sessions where revoked_at is null');
        return rows[0]!.expires_at.getTime() - Date.now();
      })
      .toBeGreaterThan(5 * 60_000);
    await settled(page, 'signed-in');
    await page.close();
  }, 120_000);
});

/** Every visible input, select, textarea and button of the panel, with how far it reaches. */
async function overflowing(page: Page): Promise<{ what: string; left: number; right: number; width: number }[]> {
  return panelOf(page).evaluate(() => {
    const limit = document.documentElement.clientWidth;
    const out: { what: string; left: number; right: number; width: number }[] = [];
    for (const el of Array.from(document.querySelectorAll('input, select, textarea, button'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue; // not rendered (e.g. a hidden radio input styled away)
      if (r.left < 0 || r.right > limit || r.width > limit) {
        out.push({
          what: `${el.tagName.toLowerCase()}#${el.id || (el as HTMLInputElement).name || el.textContent?.trim().slice(0, 30)}`,
          left: r.left,
          right: r.right,
          width: r.width,
        });
      }
    }
    if (document.documentElement.scrollWidth > limit)
      out.push({ what: 'page scrolls sideways', left: 0, right: document.documentElement.scrollWidth, width: limit });
    return out;
  });
}

describe('the panel fits Procore’s 400 px side panel', () => {
  it('no input or button is wider than the panel: sign-in, record, create form; screenshots in test-artifacts', async () => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.goto(harnessUrl(server, 'commitment/900009'));
    await settled(page, 'sign-in');
    expect(await panelOf(page).evaluate(() => document.documentElement.clientWidth)).toBe(400);
    // the myCOI fields are enabled after the Procore step; measure them both before and after
    expect(await overflowing(page)).toEqual([]);
    await browser.screenshot('panel-400-sign-in', page);
    await signIn(browser, page);
    await expect.poll(() => panelFrame(page).getByTestId('row-commitment').isVisible()).toBe(true);
    expect(await overflowing(page)).toEqual([]);
    await browser.screenshot('panel-400-record', page);

    // the create form, and its field error when no insurance set is chosen (not a "Retry")
    const row = panelFrame(page).getByTestId('row-commitment');
    await row.getByRole('button', { name: 'Create in myCOI' }).click();
    await expect.poll(() => panelFrame(page).getByLabel('Title').isVisible()).toBe(true);
    await panelFrame(page).getByTestId('create-commitment-submit').click();
    await expect.poll(() => panelFrame(page).getByTestId('insurance-set-error').isVisible()).toBe(true);
    expect(await panelFrame(page).getByTestId('create-commitment-submit').textContent()).toBe('Create commitment');
    expect(await overflowing(page)).toEqual([]);
    await browser.screenshot('panel-400-create-form', page);
    expect(unexpectedErrors(browser)).toEqual([]);
    await page.close();
  }, 120_000);
});
