import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@mycoi/config';
import { migrate, openDatabase } from '@mycoi/db';
import { insertDemoTenant } from './support/tenants';
import { Processes } from './support/process';

// #12.7 + #16.7 with the real entry point (tsx apps/api/src/main.ts) and its embedded demo
// sandboxes: SIGKILL mid-push, restart → the push resumes at once (seconds printed); a clean
// stop and start keeps every row we pushed and our hook; a row deleted by hand comes back after
// the reconcile that follows a demo restart.

const root = path.resolve(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'mycoi-restart-'));
const port = 20_000 + Math.floor(Math.random() * 12_000); // below the ephemeral range, see main.test.ts
const api = `http://127.0.0.1:${port}`;
const procore = `http://127.0.0.1:${port + 1}`;
const processes = new Processes(root);
let tenantId: string;

afterAll(() => {
  processes.killAll();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(`${dataDir}-sandboxes`, { recursive: true, force: true });
});

function boot() {
  // the cron slot is far away: whatever runs after a restart was resumed, not scheduled
  return processes.start(['--import', 'tsx', 'apps/api/src/main.ts'], {
    PORT: String(port),
    PGLITE_DIR: dataDir,
    LOG_LEVEL: 'info',
    SYNC_ENABLED: 'true',
    SYNC_CRON: '0 0 1 1 *',
  });
}
type Booted = ReturnType<typeof boot>;

async function until<T>(what: string, probe: () => Promise<T> | T, b?: Booted, ms = 180_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    if (b && b.child.exitCode !== null) throw new Error(`service exited (${b.child.exitCode}) while waiting for ${what}:\n${b.output()}`);
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
    } catch {
      /* not up yet */
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${b?.output().slice(-3000) ?? ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Row {
  id: number;
  origin_id: string | null;
  project_id: number | null;
}
async function ourRows(): Promise<Row[]> {
  const s = (await (await fetch(`${procore}/_sandbox/state`)).json()) as { insurances: Row[] };
  return s.insurances.filter((i) => i.origin_id?.startsWith('mycoi:'));
}
async function ourHooks(): Promise<{ id: number }[]> {
  const s = (await (await fetch(`${procore}/_sandbox/state`)).json()) as { hooks: { id: number; destination_url: string }[] };
  return s.hooks.filter((h) => h.destination_url.endsWith(`/webhooks/procore/${tenantId}`));
}
async function syncNow(): Promise<void> {
  const login = await fetch(`${api}/api/ops/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ops@mycoi.test', password: 'ops-demo-password' }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const res = await fetch(`${api}/api/ops/tenants/${tenantId}/sync-now`, { method: 'POST', headers: { cookie } });
  expect(res.status).toBe(202);
}
const healthy = (b: Booted) => until('healthy', async () => (await fetch(`${api}/healthz`)).ok, b);
/** Every scope of the demo has rows of ours: the push went through to the end. */
const complete = (rows: Row[]) =>
  ['mycoi:v:ven_acme_bright:', 'mycoi:p:5001:a:asg_acme_0001:', 'mycoi:p:5002:a:asg_acme_0005:'].every((p) =>
    rows.some((r) => r.origin_id!.startsWith(p)),
  );

beforeAll(async () => {
  // an active tenant at level "both" in the demo database, as ops activation leaves it
  const db = openDatabase({ dataDir });
  await migrate(db.pool);
  // the demo key the service will use
  tenantId = await insertDemoTenant(db.pool, loadConfig({}).encryption, { status: 'active', compliance_level: 'both' });
  await db.close();
}, 120_000);

describe('restart of the demo', () => {
  it('SIGKILL mid-push: the restarted service resumes the push within seconds', async () => {
    const first = boot();
    await healthy(first);
    await until('the hook registered at boot', async () => (await ourHooks()).length === 1, first);
    // slow Procore down so the push is still going when we kill the process
    await fetch(`${procore}/_sandbox/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 400 }),
    });
    await syncNow();
    const atKill = await until('the push writing its first rows', async () => ((await ourRows()).length > 0 ? ourRows() : null), first);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(complete(atKill)).toBe(false); // it really died mid-push

    const second = boot();
    await healthy(second);
    const healthyAt = Date.now();
    // the reclaimed push writes again (the sandbox request log starts empty with the new process)
    await until(
      'a Procore write after the restart',
      async () => {
        const log = (await (await fetch(`${procore}/_sandbox/requests`)).json()) as { method: string; path: string }[];
        return log.some((q) => q.method === 'PATCH' && q.path.endsWith('/insurances/sync'));
      },
      second,
    );
    const resumedAt = Date.now();
    const rows = await until(
      'the resumed push complete',
      async () => {
        const r = await ourRows();
        return complete(r) ? r : null;
      },
      second,
    );
    console.log(
      `[bench] crash recovery: boot→healthy ${((healthyAt - second.startedAt) / 1000).toFixed(1)} s, ` +
        `healthy→first resumed Procore write ${((resumedAt - healthyAt) / 1000).toFixed(1)} s, ` +
        `restart→push complete ${((Date.now() - second.startedAt) / 1000).toFixed(1)} s (${rows.length} rows)`,
    );
    expect(second.output()).toMatch(/reclaimed sync runs left running by a stopped process/);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 600_000);

  it('stop and start keeps every row we pushed and our hook; a row deleted by hand is back after the reconcile', async () => {
    const third = boot();
    await healthy(third);
    const before = await ourRows();
    expect(complete(before)).toBe(true);
    const [gone] = before.filter((r) => r.project_id !== null);
    const del = await fetch(`${procore}/_sandbox/insurances/${gone!.id}`, { method: 'DELETE' });
    expect(del.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 1200)); // the state is saved twice a second (and at stop)
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);

    const fourth = boot();
    await healthy(fourth);
    expect(fourth.output()).toMatch(/with the state they had when the demo stopped/);
    const after = await ourRows();
    // every row is still there (the one deleted by hand stays deleted until we restore it)
    expect(after.map((r) => r.origin_id).sort()).toEqual(
      before
        .filter((r) => r.id !== gone!.id)
        .map((r) => r.origin_id)
        .sort(),
    );
    // the boot check found our hook at Procore: reused, not duplicated
    await until('hooks checked', () => /Procore hooks of active tenants checked at boot/.test(fourth.output()), fourth);
    expect(await ourHooks()).toHaveLength(1);
    await syncNow();
    await until(
      'the deleted row restored by the reconcile',
      async () => (await ourRows()).some((r) => r.origin_id === gone!.origin_id),
      fourth,
    );
    fourth.child.kill('SIGTERM');
    expect(await fourth.exited).toBe(0);
  }, 600_000);
});
