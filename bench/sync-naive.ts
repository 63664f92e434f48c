// The naive reference pusher the budget is measured against: for every vendor (and every
// assignment's project vendor) list that vendor's insurances, then create or update each row one
// call at a time. Same desired rows as the engine (buildRows), so only the call pattern differs.
import type { ProcoreClient } from '@mycoi/procore';
import type { MycoiClient } from '@mycoi/mycoi';
import { buildRows, projectOriginId, toRecord, todayUtc, vendorOriginId, type InsuranceWrite } from '@mycoi/sync';

export interface NaiveTargets {
  vendor: Map<string, string>; // myCOI vendor id → Procore vendor id
  assignment: Map<string, { projectId: string; vendorId: string }>;
}

export async function naivePush(procore: ProcoreClient, mycoi: MycoiClient, targets: NaiveTargets, concurrency: number): Promise<number> {
  const c = procore.company(1001);
  const jobs: {
    target: { level: 'company_vendor'; vendorId: number } | { level: 'project_vendor'; projectId: number; vendorId: number };
    rows: InsuranceWrite[];
  }[] = [];
  const opts = { today: todayUtc(), expiryNotifications: false };
  let cursor: string | undefined;
  for (;;) {
    const page = await mycoi.listCompliance({ ...(cursor ? { cursor } : {}), limit: 100 });
    for (const raw of page.records) {
      const r = toRecord(raw);
      if (r.level === 'vendor') {
        const v = targets.vendor.get(r.vendorId);
        if (v)
          jobs.push({
            target: { level: 'company_vendor', vendorId: Number(v) },
            rows: buildRows(r, { vendorId: v, originId: (k) => vendorOriginId(r.vendorId, k) }, opts),
          });
      } else {
        const a = targets.assignment.get(r.assignmentId ?? '');
        if (a)
          jobs.push({
            target: { level: 'project_vendor', projectId: Number(a.projectId), vendorId: Number(a.vendorId) },
            rows: buildRows(r, { vendorId: a.vendorId, originId: (k) => projectOriginId(a.projectId, r.assignmentId!, k) }, opts),
          });
      }
    }
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const api = c.insurances(job.target);
      const existing = (await api.list()).items;
      for (const row of job.rows) {
        const { vendor_id: _v, ...fields } = row;
        const found = existing.find((e) => e.origin_id === row.origin_id);
        if (found) await api.update(found.id, fields as never);
        else await api.create(fields as never);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return jobs.length;
}
