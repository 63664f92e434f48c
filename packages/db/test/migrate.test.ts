import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMigrated, listMigrations, migrate, type Database } from '../src';
import { createTestDatabase } from '../src/testing';

describe('migrations', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.close());

  it('applies every migration once, in order, and records it', async () => {
    expect(listMigrations().map((m) => m.id)[0]).toBe('001_core');
    const applied = await migrate(db.pool);
    expect(applied).toEqual(listMigrations().map((m) => m.id));
    expect(await isMigrated(db.pool)).toBe(true);
    const { rows } = await db.pool.query('select count(*)::int as n from tenants');
    expect(rows[0].n).toBe(0);
  });

  it('is a no-op when run again', async () => {
    expect(await migrate(db.pool)).toEqual([]);
  });

  it('rolls back a failing migration and reports which one', async () => {
    const bad = [{ id: '999_bad', sql: 'create table half_done (id int); select * from no_such_table;' }];
    await expect(migrate(db.pool, bad)).rejects.toThrow(/999_bad/);
    const { rows } = await db.pool.query("select to_regclass('half_done') as t");
    expect(rows[0].t).toBeNull();
    expect(await isMigrated(db.pool, bad)).toBe(false);
  });

  it('reports not migrated when a known migration is missing', async () => {
    expect(await isMigrated(db.pool, [...listMigrations(), { id: '998_future', sql: '' }])).toBe(false);
  });
});
