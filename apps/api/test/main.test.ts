import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Processes, untilServing, type Started } from './support/process';

// Boots the real entry point (tsx apps/api/src/main.ts) as a child process, the way `npm start` does.
const root = path.resolve(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'mycoi-main-'));
const processes = new Processes(root);
afterAll(() => {
  processes.killAll();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(`${dataDir}-sandboxes`, { recursive: true, force: true }); // the demo sandboxes' kept state
});

/** The real entry point through tsx, as `npm start` runs it, on its own data directory. */
const boot = (port: number) =>
  processes.start(['--import', 'tsx', 'apps/api/src/main.ts'], {
    PORT: String(port),
    PGLITE_DIR: dataDir,
    LOG_LEVEL: 'info',
    SYNC_ENABLED: 'false',
  });
const waitHealthy = (port: number, booting: Started) => untilServing(`http://127.0.0.1:${port}/healthz`, booting, 240_000);

describe('main', () => {
  // Below Linux's ephemeral range (32768+), so no port-0 server of another test file can hold it (or
  // PORT+1/PORT+2, where the demo starts its sandboxes) while this file runs.
  const port = 20_000 + Math.floor(Math.random() * 12_000);

  it('starts, refuses a second instance on the same data directory, and stops cleanly on SIGTERM', async () => {
    const first = boot(port);
    await waitHealthy(port, first);
    // not a terminal: JSON lines, and the demo ops sign-in as a plain line a person can spot
    expect(first.output()).toMatch(/^ {2}Ops console demo sign-in.*: ops@mycoi\.test \/ ops-demo-password$/m);
    const jsonLines = first
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(jsonLines.length).toBeGreaterThan(0);
    for (const l of jsonLines) expect(() => JSON.parse(l)).not.toThrow();

    const second = boot(port + 1);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/in use by another process/);

    // the first one is untouched and still serving
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/stopped/);

    // data directory is reusable after a clean stop
    const third = boot(port);
    await waitHealthy(port, third);
    third.child.kill('SIGINT');
    expect(await third.exited).toBe(0);
  }, 600_000); // boots the real service three times; slow on a loaded 2-core machine

  it('exits with every configuration problem listed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: 'abc', LOG_LEVEL: 'chatty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(1);
    expect(err).toMatch(/PORT/);
    expect(err).toMatch(/LOG_LEVEL/);
  }, 60_000);
});
