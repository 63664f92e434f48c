import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../../scripts/build-server';

// The production build (`npm run build:server`): bundled into a scratch folder inside the
// repository (npm packages resolve from its node_modules), then run with plain `node` and no
// TypeScript loader, the way the container starts it. .ci/run also boots the real runtime tree on
// Node 24 against PostgreSQL; this catches a bundle that cannot find its files on every test run.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const outdir = path.join(root, 'test-artifacts', `build-${process.pid}`);
const dataDir = mkdtempSync(path.join(tmpdir(), 'mycoi-build-'));
const children: ChildProcess[] = [];
let files: string[] = [];

beforeAll(async () => {
  await mkdir(path.dirname(outdir), { recursive: true });
  files = await buildServer(outdir);
}, 120_000);

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(outdir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(outdir, 'main.js')], {
    cwd: root,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitReady(port: number, booting: ReturnType<typeof run>, ms = 120_000): Promise<Response> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (booting.child.exitCode !== null) throw new Error(`service exited (${booting.child.exitCode}):\n${booting.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) return res;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`/readyz never answered 200:\n${booting.output()}`);
}

describe('production build', () => {
  it('emits plain JavaScript entry points with our packages inside and npm packages left external', () => {
    const names = files.map((f) => path.basename(f));
    for (const entry of ['main.js', 'create-ops-user.js', 'rotate-keys.js', 'procore-sandbox.js', 'mycoi-sandbox.js']) {
      expect(names).toContain(entry);
    }
    const all = files.map((f) => readFileSync(path.join(root, f), 'utf8')).join('\n');
    expect(all).not.toMatch(/from ["']@mycoi\//); // bundled, not resolved at run time
    expect(all).toMatch(/from ["']express["']/); // external, from node_modules
  });

  // Below Linux's ephemeral range, like main.test.ts: the demo also takes PORT+1 and PORT+2.
  const port = 20_000 + Math.floor(Math.random() * 12_000);

  it('boots with plain node, applies the migrations from the repository layout, and stops on SIGTERM', async () => {
    const booting = run({ PORT: String(port), PGLITE_DIR: dataDir, LOG_LEVEL: 'warn', SYNC_ENABLED: 'false' });
    const res = await waitReady(port, booting);
    // ready = every SQL migration in packages/db/migrations applied; the panel routes read
    // procore-app/manifest.json at boot, so a bundle that missed either would not get here.
    expect(await res.json()).toMatchObject({ status: 'ready', database: 'pglite' });
    // The bundled Procore sandbox's harness page reads the same manifest on each request.
    const harness = await fetch(`http://127.0.0.1:${port + 1}/_harness/`);
    expect(harness.status).toBe(200);
    // …and frames the side panel this service serves, on the port it listens on (not 3000)
    expect(await harness.text()).toContain(`http://localhost:${port}/panel/`);
    booting.child.kill('SIGTERM');
    expect(await booting.exited).toBe(0);
  }, 180_000);

  it('refuses production mode without its required variables, naming each one', async () => {
    const booting = run({ NODE_ENV: 'production', PORT: String(port) });
    expect(await booting.exited).toBe(1);
    for (const key of ['DATABASE_URL', 'ENCRYPTION_KEYS', 'SESSION_SECRET', 'PUBLIC_URL']) expect(booting.output()).toContain(key);
  }, 60_000);
});
