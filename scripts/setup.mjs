// Fresh-machine set-up shared by `npm test`, `npm start` and .ci/run. Plain JavaScript on purpose:
// it runs before anything is installed (no tsx, no TypeScript), on Node 20 and 24 alike.
//
//   node scripts/setup.mjs deps      install node_modules when missing or stale (npm ci)
//   node scripts/setup.mjs web       build the web apps when missing or older than their sources
//   node scripts/setup.mjs chromium  make sure /usr/bin/chromium exists (apt-get when root)
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM_PATH = '/usr/bin/chromium';
// npm ci deletes node_modules first, so a marker inside it can never outlive the tree it describes.
const MARKER = path.join(root, 'node_modules/.mycoi-lock.sha256');

const say = (msg) => console.error(`setup: ${msg}`);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** node_modules matches package-lock.json: installed by `npm ci` (never rewrites the lock). */
export function ensureDeps({ force = false } = {}) {
  const hash = createHash('sha256')
    .update(readFileSync(path.join(root, 'package-lock.json')))
    .digest('hex');
  const current = existsSync(MARKER) ? readFileSync(MARKER, 'utf8').trim() : '';
  if (!force && current === hash && existsSync(path.join(root, 'node_modules/.bin/vitest'))) return;
  say(current ? 'package-lock.json changed: reinstalling (npm ci)' : 'installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  writeFileSync(MARKER, `${hash}\n`);
}

function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((m, name) => Math.max(m, newest(path.join(p, name))), s.mtimeMs);
}

export const WEB_APPS = ['apps/console', 'apps/side-panel'];

/** Each web app's dist/ exists and is newer than what it is built from. */
export function ensureWeb() {
  const shared = Math.max(newest(path.join(root, 'vite.shared.ts')), newest(path.join(root, 'packages/contracts/src')));
  for (const app of WEB_APPS) {
    const dir = path.join(root, app);
    const built = newest(path.join(dir, 'dist/index.html'));
    const inputs = ['src', 'index.html', 'callback.html', 'vite.config.ts', 'package.json'].map((f) => newest(path.join(dir, f)));
    if (built > Math.max(shared, ...inputs)) continue;
    say(`building ${app} (missing or older than its sources)`);
    run('npm', ['run', 'build', '-w', app]);
  }
}

/**
 * The browser tests drive Debian's Chromium. As root (CI, containers) it is installed with
 * apt-get; otherwise the caller gets a plain explanation instead of a stack trace per test file.
 */
export function ensureChromium() {
  if (existsSync(CHROMIUM_PATH)) return true;
  const root_ = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (root_ && apt) {
    say('installing Debian chromium for the browser tests (apt-get install chromium)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
    return existsSync(CHROMIUM_PATH);
  }
  console.error(
    [
      `setup: the browser tests need Chromium at ${CHROMIUM_PATH}, and it is not there.`,
      root_ ? '  apt-get is not available on this machine: install Chromium with its package manager.' : '  Install it once as root:',
      root_ ? '' : '    sudo apt-get update && sudo apt-get install -y chromium',
      '  Or run only the other tests, e.g. `npm test -- packages/`.',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return false;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const steps = { deps: () => ensureDeps({ force: process.argv.includes('--force') }), web: ensureWeb, chromium: ensureChromium };
  for (const step of process.argv.slice(2).filter((a) => !a.startsWith('--'))) {
    const fn = steps[step];
    if (!fn) {
      console.error(`setup: unknown step ${step} (deps, web, chromium)`);
      process.exit(2);
    }
    if (fn() === false) process.exit(1);
  }
}
