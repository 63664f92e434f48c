import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { FrameLocator, Page } from 'playwright-core';
import type { BrowserSession } from '../../api/test/support/browser';
import type { TestServer } from '../../api/test/support/server';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = path.join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }, 0);
}

/** The panel is served from its Vite build; (re)build it when missing or older than its sources (CI runs build:web first). */
export function ensurePanelBuilt(): void {
  const index = path.join(repoRoot, 'apps/side-panel/dist/index.html');
  if (!existsSync(index) || statSync(index).mtimeMs < newestSource(path.join(repoRoot, 'apps/side-panel/src'))) {
    execFileSync('npm', ['run', 'build', '-w', '@mycoi/side-panel'], { cwd: repoRoot, stdio: 'inherit' });
  }
}

/** The harness URL (Procore sandbox) framing the panel served by our service. */
export const harnessUrl = (s: TestServer, pathAndQuery: string) => {
  const u = new URL(`${s.procore.url}/_harness/${pathAndQuery}`);
  u.searchParams.set('panel', s.url);
  return u.toString();
};

export const panelFrame = (page: Page): FrameLocator => page.frameLocator('#panel-frame');

/**
 * Both sign-ins, as a user does them: "Sign in with Procore" opens the popup on the sandbox's
 * consent page; after it closes itself, the myCOI login completes the session.
 */
export async function signIn(b: BrowserSession, page: Page, o: { procore?: string; mycoi?: string } = {}): Promise<void> {
  const f = panelFrame(page);
  const popupP = page.context().waitForEvent('page');
  await f.getByRole('button', { name: 'Sign in with Procore' }).click();
  const popup = await popupP;
  await popup.locator('#login').fill(o.procore ?? 'pat@acme.test');
  await popup.locator('#password').fill('password');
  const closed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: 'Authorize' }).click();
  await closed;
  await expect.poll(() => f.getByTestId('procore-signed-in').isVisible()).toBe(true);
  await f.getByLabel('myCOI email').fill(o.mycoi ?? 'risk@acme.test');
  await f.getByLabel('myCOI password').fill('password');
  await f.getByRole('button', { name: 'Sign in to myCOI' }).click();
}

/** Script and console errors, minus Chromium's "Failed to load resource" lines for expected 4xx answers. */
export const unexpectedErrors = (b: BrowserSession) => b.errors.filter((e) => !e.includes('Failed to load resource'));
