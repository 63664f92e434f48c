import { RateBudgetExhaustedError, UpstreamError, type InsuranceSyncItem, type InsuranceTarget, type ProcoreClient } from '@mycoi/procore';
import { BudgetLowError } from '../context';
import type { InsuranceScope, InsuranceWrite, ProcoreCommitment, ProcoreInsurance, ProcorePort } from '../ports';

const PER_PAGE = 1000;

function target(scope: InsuranceScope): InsuranceTarget {
  return scope.level === 'company' ? { level: 'company' } : { level: 'project', projectId: Number(scope.projectId) };
}

/** A spent hour inside the client, or a 429 storm that outlasted the client's throttle waits
 *  (maxThrottleMs), becomes the engine's clean stop; the continuation is queued for the hourly
 *  reset, or for the storm's Retry-After (one probe then tells whether it is over). */
function translate(err: unknown): unknown {
  if (err instanceof RateBudgetExhaustedError) return new BudgetLowError(err.remaining, err.resetAt ?? Date.now() + 60_000);
  if (err instanceof UpstreamError && err.status === 429) {
    return new BudgetLowError(0, Date.now() + Math.max(1, err.retryAfterSec ?? 60) * 1000);
  }
  return err;
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translate(err);
  }
}

const s = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

function toItem(row: InsuranceWrite): InsuranceSyncItem {
  // Procore takes null to clear a field; the client's input type only models strings.
  return { ...row, vendor_id: Number(row.vendor_id) } as unknown as InsuranceSyncItem;
}

/**
 * The engine's ProcorePort over @mycoi/procore for one company. Insurance rows go through the flat
 * company and project endpoints (vendor in each item), so one sync call carries up to 1000 rows of
 * many vendors: the reason a full push costs tens of calls rather than thousands.
 */
export function procorePort(client: ProcoreClient, companyId: number): ProcorePort {
  const c = client.company(companyId);
  let writes = 0;
  return {
    listInsurances: (scope) =>
      guard(async () => {
        const listed = await c.insurances(target(scope)).list(PER_PAGE);
        return listed.items.map((i): ProcoreInsurance & { insurance_provider: string | null } => ({
          id: String(i.id),
          vendor_id: s(i.vendor_id),
          origin_id: s(i.origin_id),
          insurance_type: s(i.insurance_type) ?? undefined,
          insurance_provider: s(i.insurance_provider),
          policy_number: s(i.policy_number),
          effective_date: s(i.effective_date),
          expiration_date: s(i.expiration_date),
          limit: s(i.limit),
          status: i.status ?? undefined,
          notes: s(i.notes),
          exempt: i.exempt ?? undefined,
          info_received: i.info_received ?? undefined,
          enable_expired_insurance_notifications: i.enable_expired_insurance_notifications ?? undefined,
        }));
      }),
    syncInsurances: (scope, rows) =>
      guard(async () => {
        writes += Math.ceil(rows.length / PER_PAGE);
        const out = await c.insurances(target(scope)).sync(rows.map(toItem));
        const failed = out.failed[0];
        if (failed) throw translate(failed.error);
        return {
          entities: out.entities.map((e) => ({ id: String(e.id), vendor_id: s(e.vendor_id), origin_id: s(e.origin_id) })),
          errors: out.errors.map((e) => ({
            origin_id: e.origin_id ?? s(e.item.origin_id),
            message: Object.entries(e.errors)
              .map(([k, v]) => `${k}: ${v.join(', ')}`)
              .join('; ')
              .slice(0, 500),
          })),
        };
      }),
    deleteInsurance: (scope, id) =>
      guard(async () => {
        writes += 1;
        try {
          await c.insurances(target(scope)).delete(Number(id));
        } catch (err) {
          if (err instanceof UpstreamError && err.status === 404) return; // already gone
          throw err;
        }
      }),
    listProjectVendorIds: (projectId) =>
      guard(async () => (await c.projectVendors(Number(projectId)).list({ perPage: PER_PAGE })).items.map((v) => String(v.id))),
    addVendorToProject: (projectId, vendorId) =>
      guard(async () => {
        writes += 1;
        await c.projectVendors(Number(projectId)).add(Number(vendorId));
      }),
    listProjects: () =>
      guard(async () =>
        (await c.projects.list({ perPage: 300 })).items.map((p) => ({
          id: String(p.id),
          name: String((p as { name?: unknown }).name ?? `Project ${p.id}`),
          active: (p as { active?: boolean | null }).active !== false,
        })),
      ),
    listCommitments: (projectId, since) =>
      guard(async () => {
        const f = since ? { updatedAt: { from: since } } : {};
        const pid = Number(projectId);
        const [wo, po] = await Promise.all([c.commitments.workOrders.list(pid, f), c.commitments.purchaseOrders.list(pid, f)]);
        type Contract = {
          id: number;
          status: string;
          title?: string | null;
          number?: string | null;
          updated_at?: string | null;
          vendor?: { id: number; company?: string | null } | null;
        };
        const map =
          (type: ProcoreCommitment['type']) =>
          (x: Contract): ProcoreCommitment => ({
            id: String(x.id),
            type,
            projectId,
            vendorId: x.vendor ? String(x.vendor.id) : null,
            vendorName: x.vendor?.company ?? null,
            status: x.status,
            title: x.title ?? null,
            number: x.number ?? null,
            updatedAt: x.updated_at ?? null,
          });
        return [...(wo.items as Contract[]).map(map('work_order')), ...(po.items as Contract[]).map(map('purchase_order'))];
      }),
    getVendor: (vendorId) =>
      guard(async () => {
        try {
          const v = await c.vendors.get(Number(vendorId));
          const reg = (v as { business_register?: { identifier?: string | null } | null }).business_register;
          return { id: String(v.id), name: v.name, taxId: reg?.identifier ?? null };
        } catch (err) {
          if (err instanceof UpstreamError && err.status === 404) return null;
          throw err;
        }
      }),
    getCommitment: (projectId, commitmentId) =>
      guard(async () => {
        try {
          const x = await c.commitments.get(Number(projectId), Number(commitmentId));
          // the generic commitment names its kind by class: WorkOrderContract / PurchaseOrderContract
          const type = x.type === 'PurchaseOrderContract' ? 'purchase_order' : x.type === 'WorkOrderContract' ? 'work_order' : null;
          return { id: String(x.id), type };
        } catch (err) {
          if (err instanceof UpstreamError && err.status === 404) return null;
          throw err;
        }
      }),
    setCommitmentInsuranceStatus: (projectId, commitment, status, notes) =>
      guard(async () => {
        writes += 1;
        const kind = commitment.type === 'purchase_order' ? 'purchase_order_contracts' : 'work_order_contracts';
        await c.commitments.compliance.update(Number(projectId), kind, Number(commitment.id), {
          insurance_status: status,
          insurance_notes: notes,
        });
      }),
    rateBudget() {
      const b = client.budget.snapshot();
      if (b.limit === undefined || b.resetAt === undefined || !Number.isFinite(b.remaining)) return null;
      return { limit: b.limit, remaining: b.remaining, resetAt: b.resetAt };
    },
    callCount: () => client.stats.attempts,
    writeCallCount: () => writes,
    rateLimitWaitCount: () => client.stats.budgetWaits + client.stats.throttled,
  };
}
