import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProblems, markPendingDue, recordProblem } from '../src';
import { createWorld, type World } from './setup';

// The per-commitment insurance status goes to its kind's endpoint (work_order_contracts or
// purchase_order_contracts). A link made before upkeep saw the commitment (the side panel, upkeep
// off) does not know the kind: the push asks Procore once (GET /rest/v1.0/commitments/:id), keeps
// it on the link, and never writes to a guessed endpoint. No upkeep runs in this file.

const DMSA = 'demo-dmsa-client';
let w: World;
beforeAll(async () => {
  w = await createWorld({ level: 'both', settings: { commitmentComplianceStatus: true } });
});
afterAll(async () => {
  await w?.close();
});

/** A commitment link as the side panel makes it (apps/api/src/panel/links.ts): no kind. */
async function panelLink(commitmentId: string, assignmentId: string, projectId: string, vendorId: string) {
  await w.db.pool.query(
    `insert into links (tenant_id, kind, procore_id, mycoi_id, procore_project_id, procore_vendor_id, source, created_by)
     values ($1, 'commitment', $2, $3, $4, $5, 'linked', 'pat@acme.test')`,
    [w.tenantId, commitmentId, assignmentId, projectId, vendorId],
  );
  // as the panel does: the assignment's record, kept pending for want of this link, is placed by the next push
  await markPendingDue(w.db.pool, w.tenantId, { ownerKeys: [`a:${assignmentId}`] });
}
const linkKind = async (commitmentId: string) =>
  (
    await w.db.pool.query<{ commitment_type: string | null }>(
      `select commitment_type from links where tenant_id = $1 and kind = 'commitment' and procore_id = $2`,
      [w.tenantId, commitmentId],
    )
  ).rows[0]?.commitment_type;
const dmsaCalls = () => w.procore.requests().filter((q) => q.clientId === DMSA);
const complianceCalls = (commitmentId: number) => dmsaCalls().filter((q) => q.path.endsWith(`_contracts/${commitmentId}/compliance`));
const kindReads = (commitmentId: number) =>
  dmsaCalls().filter((q) => q.method === 'GET' && q.path === `/rest/v1.0/commitments/${commitmentId}`);
const unknownProblem = async (commitmentId: number) =>
  (await listProblems(w.db.pool, w.tenantId)).find((p) => p.kind === 'commitment_unknown' && p.scope === `commitment:${commitmentId}`);

describe('per-commitment status of a commitment whose kind nothing recorded', () => {
  it("a purchase order linked by the side panel before upkeep: the status reaches the purchase order's compliance, no 404", async () => {
    // PO-001 (Rebar): a purchase order in project 5001, vendor 70003; myCOI's assignment 0002 is in review
    expect(w.procore.state.commitments.get(900003)!.type).toBe('PurchaseOrderContract');
    expect(w.procore.state.commitments.get(900003)!.compliance.insurance_status).toBeNull();
    await panelLink('900003', 'asg_acme_0002', '5001', '70003');
    expect(await linkKind('900003')).toBeNull();
    const known = await w.db.pool.query('select 1 from upkeep_commitments where tenant_id = $1', [w.tenantId]);
    expect(known.rows).toEqual([]); // upkeep never ran: nothing but Procore can tell the kind

    w.procore.clearRequests();
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    // written through the purchase order endpoint, once, to the purchase order's compliance
    expect(complianceCalls(900003).map((q) => [q.method, q.path, q.status])).toEqual([
      ['PATCH', '/rest/v1.0/projects/5001/purchase_order_contracts/900003/compliance', 200],
    ]);
    expect(dmsaCalls().filter((q) => q.status === 404)).toEqual([]);
    const c = w.procore.state.commitments.get(900003)!;
    expect(c.compliance.insurance_status).toBe('not_compliant'); // in review in myCOI: not compliant for Procore Pay
    expect(c.compliance.insurance_notes).toBe('Per myCOI compliance review.');
    expect(r.ctx!.errors.filter((e) => e.code.startsWith('commitment_'))).toEqual([]);
    expect(kindReads(900003).map((q) => q.status)).toEqual([200]);
    expect(r.ctx!.counts.commitmentStatuses).toBe(1);
    // learned once, kept on the link (and the ledger row is clean)
    expect(await linkKind('900003')).toBe('purchase_order');
    const row = await w.db.pool.query(
      `select commitment_type, desired_hash is not distinct from pushed_hash as clean, last_error from pushed_insurances
       where tenant_id = $1 and target = 'commitment_status' and procore_commitment_id = '900003'`,
      [w.tenantId],
    );
    expect(row.rows).toEqual([{ commitment_type: 'purchase_order', clean: true, last_error: null }]);
  });

  it('the next status change goes to the same endpoint without asking Procore for the kind again', async () => {
    w.mycoi.admin.setCompliance({ assignmentId: 'asg_acme_0002' }, { status: 'finalized_compliant' });
    w.procore.clearRequests();
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    expect(w.procore.state.commitments.get(900003)!.compliance.insurance_status).toBe('compliant');
    expect(complianceCalls(900003).map((q) => [q.method, q.path, q.status])).toEqual([
      ['PATCH', '/rest/v1.0/projects/5001/purchase_order_contracts/900003/compliance', 200],
    ]);
    expect(kindReads(900003)).toEqual([]);
  });

  it('a commitment Procore does not have (404): its status is skipped with a problem, never written to a guessed endpoint', async () => {
    // PO-002 (Fixtures), deleted in Procore after the side panel linked it to assignment 0003
    await panelLink('900004', 'asg_acme_0003', '5001', '70004');
    w.procore.admin.deleteCommitment(900004);
    w.procore.clearRequests();
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    expect(kindReads(900004).map((q) => q.status)).toEqual([404]);
    expect(complianceCalls(900004)).toEqual([]);
    expect(w.procore.state.commitments.get(900004)!.compliance.insurance_status).toBeNull();
    expect(r.ctx!.errors.filter((e) => e.code === 'commitment_unknown').map((e) => e.ref)).toEqual(['mycoi:cs:900004']);
    const p = await unknownProblem(900004);
    expect(p).toMatchObject({ title: 'Commitment 900004 was not found in project 5001 in Procore' });
    expect(p!.detail).toContain('(404)');
    // the row waits (retried every push), the link's kind stays unknown; the commitment's rows in
    // the project directory are written as usual
    const row = await w.db.pool.query<{ clean: boolean; last_error: string }>(
      `select desired_hash is not distinct from pushed_hash as clean, last_error from pushed_insurances
       where tenant_id = $1 and target = 'commitment_status' and procore_commitment_id = '900004'`,
      [w.tenantId],
    );
    expect(row.rows[0]!.clean).toBe(false);
    expect(row.rows[0]!.last_error).toContain('insurance status not written');
    expect(await linkKind('900004')).toBeNull();
    expect([...w.procore.state.insurances.values()].some((i) => i.origin_id?.startsWith('mycoi:p:5001:a:asg_acme_0003:'))).toBe(true);
  });

  it('a kind Procore refuses to show (403): skipped with a problem; once readable it is learned and the problem cleared', async () => {
    // SC-102 (Electrical): a work order in project 5002, linked by the side panel to assignment 0005
    await panelLink('900006', 'asg_acme_0005', '5002', '70001');
    const inst = w.procore.state.apps.get(DMSA)!.installations.get(1001)!;
    const granted = structuredClone(inst.permissions);
    w.procore.admin.setInstallation(DMSA, 1001, { permissions: { ...granted, project: { ...granted.project, commitments: 'none' } } });
    // as an upkeep would have recorded it with the tool gone: a scope that wrote nothing must not clear it
    const toolProblem = {
      kind: 'tool_forbidden' as const,
      scope: 'tool:commitments',
      title: "No permission for Procore's Commitments tool",
      detail: 'Procore refused (403) when myCOI listed commitments',
      fix: 'Give the service account access to the Commitments tool.',
    };
    await recordProblem(w.db.pool, w.tenantId, toolProblem);
    try {
      w.procore.clearRequests();
      const r = await w.run('push');
      expect(r.status).toBe('succeeded');
      expect(kindReads(900006).map((q) => q.status)).toEqual([403]);
      expect(complianceCalls(900006)).toEqual([]);
      const p = await unknownProblem(900006);
      expect(p).toMatchObject({ title: 'Commitment 900006 in project 5002 cannot be read in Procore' });
      expect(p!.detail).toContain('commitments tool');
      expect(p!.fix).toContain('Commitments tool');
      expect((await listProblems(w.db.pool, w.tenantId)).some((x) => x.kind === 'tool_forbidden' && x.scope === 'tool:commitments')).toBe(
        true,
      );
    } finally {
      w.procore.admin.setInstallation(DMSA, 1001, { permissions: granted });
    }
    w.procore.clearRequests();
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    expect(kindReads(900006).map((q) => q.status)).toEqual([200]);
    expect(complianceCalls(900006).map((q) => [q.method, q.path, q.status])).toEqual([
      ['PATCH', '/rest/v1.0/projects/5002/work_order_contracts/900006/compliance', 200],
    ]);
    expect(w.procore.state.commitments.get(900006)!.compliance.insurance_status).toBe('not_compliant');
    expect(await linkKind('900006')).toBe('work_order');
    expect(await unknownProblem(900006)).toBeUndefined();
    expect((await listProblems(w.db.pool, w.tenantId)).filter((x) => x.kind === 'tool_forbidden')).toEqual([]);
    // the deleted commitment is still unknown, and still not written
    expect(await unknownProblem(900004)).toBeDefined();
    expect(complianceCalls(900004)).toEqual([]);
  });
});
