// `npm test`: the README's single test command, which works on a fresh clone. It installs the
// dependencies when node_modules is missing or older than package-lock.json, makes sure Chromium is
// there and the web apps are built when the browser tests are among those selected, then runs
// vitest with any extra arguments (`npm test -- packages/db --reporter=json`).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ensureChromium, ensureDeps, ensureWeb, root } from './setup.mjs';

const args = process.argv.slice(2);

/** The browser test files (`*.browser.test.*`): they need Chromium and the built web apps. */
function browserTests() {
  const files = [];
  for (const app of readdirSync(path.join(root, 'apps'))) {
    const dir = path.join('apps', app, 'test');
    try {
      for (const f of readdirSync(path.join(root, dir))) if (/\.browser\.test\.tsx?$/.test(f)) files.push(`${dir}/${f}`);
    } catch {
      // an app without tests
    }
  }
  return files;
}

// vitest's positional arguments are path filters (substrings); options come as --name or --name=value.
const filters = args.filter((a) => !a.startsWith('-'));
const needsBrowser = filters.length === 0 || browserTests().some((f) => filters.some((x) => f.includes(x.replace(/^\.\//, ''))));

try {
  ensureDeps();
  if (needsBrowser) {
    if (!ensureChromium()) process.exit(1);
    ensureWeb();
  }
} catch (err) {
  console.error(`npm test: set-up failed: ${err.message}`);
  process.exit(1);
}

const r = spawnSync(path.join(root, 'node_modules/.bin/vitest'), ['run', ...args], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
