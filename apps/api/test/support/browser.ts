import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; `.ci/run` installs it with `apt-get install -y chromium`. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Screenshots land in <repo>/test-artifacts (gitignored; CI keeps it as an artifact). */
export const ARTIFACTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test-artifacts');

const FLAGS = [
  '--headless',
  '--no-sandbox', // CI runs as root in a container
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking', // no update/metrics calls leaving the machine
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far, on any page of this context. */
  errors: string[];
  /** Saves a full-page PNG as test-artifacts/<name>.png and returns its path. */
  screenshot(name: string, page?: Page): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real Chromium with a fresh profile (its own user-data-dir, so no cookie or cache survives
 * between test files). Fails with an explanation if Chromium is not installed rather than
 * silently skipping: the browser tests are part of the acceptance.
 */
export async function openBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\``);
  }
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'mycoi-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  // Fail a step with the locator that did not appear, well before the test's own timeout.
  context.setDefaultTimeout(10_000);
  const errors: string[] = [];
  const watch = (p: Page) => {
    p.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`${p.url()}: ${msg.text()}`);
    });
    p.on('pageerror', (err) => errors.push(`${p.url()}: ${err.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return {
    context,
    page,
    errors,
    async screenshot(name, p = page) {
      const file = path.join(ARTIFACTS_DIR, `${name}.png`);
      await p.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
