import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ourRows, createWorld, type World } from './setup';

let w: World;
beforeAll(async () => {
  w = await createWorld({ level: 'both', settings: { digestRecipients: ['risk@acme.test'], commitmentComplianceStatus: true } });
});
afterAll(async () => {
  await w?.close();
});

const HAND_ENTERED = [300001, 300002, 300003, 300004];

describe('compliance push through both sandboxes', () => {
  it('upkeep learns commitments, links vendors and emails the digest', async () => {
    const r = await w.run('upkeep');
    expect(r.status).toBe('succeeded');
    const links = await w.db.pool.query<{ procore_id: string; mycoi_id: string; source: string }>(
      `select procore_id, mycoi_id, source from links where tenant_id = $1 and kind = 'vendor' order by procore_id`,
      [w.tenantId],
    );
    // approved commitments (default approvedStatuses: Approved and Complete): 900001 (70001),
    // 900003 (70003), 900006 (70001) exist in myCOI by external_id; 900008 (Complete, 70007) is linked too
    expect(links.rows.slice(0, 2)).toEqual([
      { procore_id: '70001', mycoi_id: 'ven_acme_bright', source: 'matched' },
      { procore_id: '70003', mycoi_id: 'ven_acme_harbor', source: 'matched' },
    ]);
    expect(links.rows.map((l) => l.procore_id)).toEqual(['70001', '70003', '70007']);
    expect(w.mail).toHaveLength(1);
    expect(w.mail[0]!.to).toEqual(['risk@acme.test']);
    // three active projects and four approved or complete commitments; myCOI has divisions for 5001
    // and 5002 and assignments for three of the commitments (external ids): upkeep links them, so only
    // project 5003 and its complete commitment 900008 are news
    expect(w.mail[0]!.subject).toContain('1 project(s) and 1 commitment(s)');
    expect(w.mail[0]!.text).toContain('Harbor Warehouse');
    expect(w.mail[0]!.text).not.toContain('Riverside Medical Center');
    expect(w.mail[0]!.html).toContain(`${w.procore.url}/5003/project/commitments/work_order_contracts/900008`);
    const matched = await w.db.pool.query<{ kind: string; procore_id: string; mycoi_id: string }>(
      `select kind, procore_id, mycoi_id from links where tenant_id = $1 and kind <> 'vendor' order by kind, procore_id`,
      [w.tenantId],
    );
    expect(matched.rows).toEqual([
      { kind: 'commitment', procore_id: '900001', mycoi_id: 'asg_acme_0001' },
      { kind: 'commitment', procore_id: '900003', mycoi_id: 'asg_acme_0002' },
      { kind: 'commitment', procore_id: '900006', mycoi_id: 'asg_acme_0005' },
      { kind: 'project', procore_id: '5001', mycoi_id: 'div_acme_riverside' },
      { kind: 'project', procore_id: '5002', mycoi_id: 'div_acme_oak' },
    ]);
    // same set → no second email
    await w.run('upkeep');
    expect(w.mail).toHaveLength(1);
  });

  it('first push writes vendor- and commitment-level rows with exact statuses, leaving hand-entered rows alone', async () => {
    const before = HAND_ENTERED.map((id) => JSON.stringify(w.procore.state.insurances.get(id)));
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    const rows = ourRows(w.procore);
    const company = rows.filter((i) => i.project_id === null);
    const project = rows.filter((i) => i.project_id !== null);
    expect(company.length).toBeGreaterThan(0);
    // Bright Electric: vendor level, finalized compliant in the demo
    const bright = company.filter((i) => i.vendor_id === 70001);
    expect(bright.length).toBeGreaterThan(0);
    expect(bright.every((i) => i.origin_id!.startsWith('mycoi:v:ven_acme_bright:'))).toBe(true);
    // assignment 0005 (in progress, non-compliant) on project 5002 for vendor 70001: no row looks
    // better than the record (compliance.ts), the missing pollution line included
    const a5 = project.filter((i) => i.origin_id!.startsWith('mycoi:p:5002:a:asg_acme_0005:'));
    expect(a5.map((i) => i.status)).toEqual(Array(5).fill('non_compliant_in_progress'));
    expect(a5.filter((i) => i.notes?.includes('Required by myCOI; no certificate on file.'))).toHaveLength(1);
    expect(a5.every((i) => i.project_id === 5002 && i.vendor_id === 70001)).toBe(true);
    expect(a5.find((i) => i.status === 'non_compliant_in_progress' && i.notes?.includes('Umbrella limit is $5,000,000'))).toBeDefined();
    // assignment 0002 (pending review) → undecided on project 5001 for vendor 70003
    const a2 = project.filter((i) => i.origin_id!.startsWith('mycoi:p:5001:a:asg_acme_0002:'));
    expect(a2.map((i) => i.status)).toEqual(['undecided']);
    // hand-entered rows untouched
    expect(HAND_ENTERED.map((id) => JSON.stringify(w.procore.state.insurances.get(id)))).toEqual(before);
    // per-commitment status set for the linked commitments (Procore Pay gating)
    expect(w.procore.state.commitments.get(900001)!.compliance.insurance_status).toBe('compliant');
    expect(w.procore.state.commitments.get(900006)!.compliance.insurance_status).toBe('not_compliant');
    const counts = r.ctx!.counts;
    expect(counts.created).toBe(rows.length);
    expect(counts.commitmentStatuses).toBeGreaterThan(0);
    const runRow = await w.db.pool.query(
      'select status, counts, calls, write_calls, duration_ms from runs where kind = $1 order by id desc limit 1',
      ['push'],
    );
    expect(runRow.rows[0].status).toBe('succeeded');
    expect(runRow.rows[0].calls).toBeGreaterThan(0);
  });

  it('a second cycle with no change makes no Procore write call', async () => {
    w.procore.clearRequests();
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    expect(w.procore.requests().filter((q) => q.method !== 'GET' && !q.path.startsWith('/oauth'))).toEqual([]);
  });

  it('a changed and a removed coverage line are updated and deleted, nothing else is touched', async () => {
    const current = await rawLines({ assignmentId: 'asg_acme_0001' });
    w.mycoi.admin.setCompliance(
      { assignmentId: 'asg_acme_0001' },
      {
        status: 'finalized_non_compliant',
        coverage_lines: current.map((l, i) => (i === 0 ? { ...l, status: 'non_compliant' as const } : l)),
      },
    );
    const brightBefore = ourRows(w.procore).filter((i) => i.origin_id!.startsWith('mycoi:v:ven_acme_bright:'));
    const brightRecord = await w.clients().mycoi.vendorCompliance('ven_acme_bright');
    expect(brightRecord!.lines.length).toBe(brightBefore.length);
    w.mycoi.admin.setCompliance(
      { vendorId: 'ven_acme_bright' },
      {
        coverage_lines: (await rawLines({ vendorId: 'ven_acme_bright' })).slice(0, -1),
      },
    );
    const hand = HAND_ENTERED.map((id) => JSON.stringify(w.procore.state.insurances.get(id)));
    w.procore.clearRequests();
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    expect(r.ctx!.counts.deleted).toBe(1);
    // the new review date changes every line's notes, so all lines of the assignment are rewritten;
    // and the record's overall non-compliance makes every row non-compliant (never better than myCOI)
    expect(r.ctx!.counts.updated).toBe(current.length);
    expect(ourRows(w.procore).find((i) => i.origin_id!.startsWith('mycoi:p:5001:a:asg_acme_0001:'))!.notes).toContain(
      `Last reviewed by myCOI: ${new Date().toISOString().slice(0, 10)}`,
    );
    const a1 = ourRows(w.procore).filter((i) => i.origin_id!.startsWith('mycoi:p:5001:a:asg_acme_0001:'));
    expect(a1.map((i) => i.status)).toEqual(['non_compliant', 'non_compliant', 'non_compliant', 'non_compliant']);
    expect(a1.filter((i) => i.notes?.includes('This coverage alone: Compliant.'))).toHaveLength(3);
    expect(w.procore.state.commitments.get(900001)!.compliance.insurance_status).toBe('not_compliant');
    expect(ourRows(w.procore).filter((i) => i.origin_id!.startsWith('mycoi:v:ven_acme_bright:'))).toHaveLength(brightBefore.length - 1);
    expect(HAND_ENTERED.map((id) => JSON.stringify(w.procore.state.insurances.get(id)))).toEqual(hand);
    const writes = w.procore.requests().filter((q) => q.method !== 'GET' && !q.path.startsWith('/oauth'));
    // one sync call for the project scope, one DELETE, and one commitment status change
    expect(writes.filter((q) => q.path.endsWith('/insurances/sync'))).toHaveLength(1);
    expect(writes.filter((q) => q.method === 'DELETE')).toHaveLength(1);
  });

  it('reconcile repairs a row edited by hand and recreates one deleted by hand', async () => {
    const [edited, removed] = ourRows(w.procore).filter((i) => i.project_id === null);
    const want = { ...edited! };
    w.procore.admin.updateInsurance(edited!.id, { status: 'expired', policy_number: 'HAND-EDIT' });
    w.procore.admin.deleteInsurance(removed!.id);
    await w.db.pool.query(`update sync_tenant_state set last_reconcile_at = now() - interval '2 days' where tenant_id = $1`, [w.tenantId]);
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    expect(r.ctx!.counts.drifted).toBe(2);
    const again = ourRows(w.procore).find((i) => i.origin_id === edited!.origin_id)!;
    expect(again.status).toBe(want.status);
    expect(again.policy_number).toBe(want.policy_number);
    expect(ourRows(w.procore).filter((i) => i.origin_id === removed!.origin_id)).toHaveLength(1);
  });

  it('records every run with counts, calls and duration', async () => {
    const res = await w.db.pool.query('select kind, status, counts, calls, duration_ms from runs where tenant_id = $1 order by id', [
      w.tenantId,
    ]);
    expect(res.rows.length).toBeGreaterThanOrEqual(6);
    for (const row of res.rows) {
      expect(row.status).toBe('succeeded');
      expect(Object.keys(row.counts)).toEqual(expect.arrayContaining(['read', 'unchanged', 'created', 'updated', 'deleted', 'failed']));
      expect(row.duration_ms).toBeGreaterThanOrEqual(0);
    }
  });
});

async function rawLines(target: { vendorId: string } | { assignmentId: string }) {
  // setCompliance with no change returns the current record
  return w.mycoi.admin.setCompliance(target, {}).coverage_lines.map((l) => ({ ...l }));
}
