import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDirLock, DataDirLockedError, openDatabase } from '../src';

const dir = mkdtempSync(path.join(tmpdir(), 'mycoi-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PGlite data directory lock', () => {
  it('refuses a second holder while the first is alive, and frees on release', () => {
    const a = acquireDirLock(dir);
    expect(() => acquireDirLock(dir)).toThrow(DataDirLockedError);
    a.release();
    const b = acquireDirLock(dir);
    b.release();
  });

  it('takes over a lock left by a dead process', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(path.join(dir, '.mycoi.lock'), dead);
    const lock = acquireDirLock(dir);
    lock.release();
  });

  it('keeps data across reopen and creates nested directories', async () => {
    const nested = path.join(dir, 'a', 'b', 'pglite');
    const first = openDatabase({ dataDir: nested });
    await first.pool.query('create table t (v int)');
    await first.pool.query('insert into t values (42)');
    expect(() => openDatabase({ dataDir: nested })).toThrow(/in use by another process/);
    await first.close();
    const second = openDatabase({ dataDir: nested });
    const { rows } = await second.pool.query('select v from t');
    expect(rows).toEqual([{ v: 42 }]);
    await second.close();
  }, 120_000); // creating an on-disk PGlite cluster takes seconds, far more on a loaded machine
});
