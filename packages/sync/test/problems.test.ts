import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@mycoi/db/testing';
import { clearProblem, listProblems, recordProblem, replaceProblemsOfKind } from '../src/problems';

type TestDb = Awaited<ReturnType<typeof createTestDatabase>>;
let db: TestDb;
let tenantId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const { rows } = await db.pool.query<{ id: string }>(
    `insert into tenants (procore_company_id, name) values ('9901', 'Problem Co') returning id`,
  );
  tenantId = rows[0]!.id;
});
afterAll(async () => db?.close());

const forbidden = (id: string) => ({
  kind: 'project_forbidden' as const,
  scope: `project:${id}`,
  title: `No access to project ${id}`,
  detail: 'Procore answered 403',
  fix: `Add the myCOI service account to project ${id}`,
});

describe('sync problems', () => {
  it('keeps one entry per (kind, scope) with a count, and clears it when the cause goes away', async () => {
    await recordProblem(db.pool, tenantId, forbidden('5002'));
    await recordProblem(db.pool, tenantId, forbidden('5002'));
    await recordProblem(db.pool, tenantId, forbidden('5003'));
    let list = await listProblems(db.pool, tenantId);
    expect(list.map((p) => [p.scope, p.count])).toEqual([
      ['project:5002', 2],
      ['project:5003', 1],
    ]);
    await clearProblem(db.pool, tenantId, 'project_forbidden', 'project:5002');
    list = await listProblems(db.pool, tenantId);
    expect(list.map((p) => p.scope)).toEqual(['project:5003']);
  });

  it('replaces a whole kind with what a check still sees', async () => {
    await replaceProblemsOfKind(db.pool, tenantId, 'project_forbidden', [forbidden('5004')]);
    const list = await listProblems(db.pool, tenantId);
    expect(list.map((p) => p.scope)).toEqual(['project:5004']);
    await replaceProblemsOfKind(db.pool, tenantId, 'project_forbidden', []);
    expect(await listProblems(db.pool, tenantId)).toEqual([]);
  });
});
