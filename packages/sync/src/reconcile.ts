import type { RunContext } from './context';
import { ledgerForScope, pushedProjects, setProcoreIds, upsertDesired, rowsPastExpiry, type Target } from './ledger';
import type { InsuranceFields, InsuranceWrite, ProcoreInsurance } from './ports';
import { isOurs, rowHash } from './rows';
import { toScope } from './push';
import { todayUtc } from './status';
import { isForbidden, recordForbidden } from './forbidden';

function text(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

function sameLimit(a: unknown, b: unknown): boolean {
  const x = text(a);
  const y = text(b);
  if (x === null || y === null) return x === y;
  const nx = Number(x.replace(/[$,]/g, ''));
  const ny = Number(y.replace(/[$,]/g, ''));
  return Number.isFinite(nx) && Number.isFinite(ny) ? nx === ny : x === y;
}

/**
 * Does Procore's row still carry what we wrote? Compared field by field with Procore's own
 * normalisations in mind (the carrier comes back as `insurance_provider`, money as "1000000.0").
 */
export function matchesDesired(want: InsuranceWrite, got: ProcoreInsurance & { insurance_provider?: string | null }): boolean {
  if (text(got.vendor_id) !== text(want.vendor_id)) return false;
  const provider = got.insurance_provider !== undefined ? got.insurance_provider : got.name;
  if (text(provider) !== text(want.name)) return false;
  if (!sameLimit(got.limit, want.limit)) return false;
  const plain: (keyof InsuranceFields)[] = ['insurance_type', 'policy_number', 'status', 'notes'];
  for (const k of plain) if (text(got[k]) !== text(want[k])) return false;
  for (const k of ['effective_date', 'expiration_date'] as const) {
    if ((text(got[k])?.slice(0, 10) ?? null) !== text(want[k])) return false;
  }
  for (const k of ['exempt', 'info_received', 'enable_expired_insurance_notifications'] as const) {
    if (got[k] !== undefined && Boolean(got[k]) !== want[k]) return false;
  }
  return true;
}

/**
 * Re-read Procore to repair drift: a row of ours edited or deleted by hand becomes dirty again, a
 * row carrying our prefix that the ledger does not want is deleted. Rows without our prefix are
 * not looked at.
 */
export async function reconcile(ctx: RunContext): Promise<void> {
  const scopes: { target: Target; projectId: string }[] = [{ target: 'company', projectId: '' }];
  for (const p of await pushedProjects(ctx.pool, ctx.tenant.id)) scopes.push({ target: 'project', projectId: p });
  for (const s of scopes) {
    ctx.checkBudget();
    const scope = toScope(s.target, s.projectId);
    let listed: ProcoreInsurance[];
    try {
      listed = await ctx.clients.procore.listInsurances(scope);
    } catch (err) {
      if (!isForbidden(err)) throw err;
      // no access to this project (or tool) now: skip it, the push reports it and retries its rows
      await recordForbidden(ctx, err, { projectId: s.projectId || undefined, tool: 'directory', what: 'read back its insurance rows' });
      continue;
    }
    const actual = listed.filter((r) => isOurs(r.origin_id));
    const byOrigin = new Map(actual.map((r) => [r.origin_id!, r]));
    const ledger = await ledgerForScope(ctx.pool, ctx.tenant.id, s.target, s.projectId);
    const known = new Set(ledger.map((l) => l.origin_id));
    const fixes: { origin_id: string; procore_id: string | null; dirty: boolean }[] = [];
    for (const l of ledger) {
      const got = byOrigin.get(l.origin_id) ?? null;
      if (l.desired === null) {
        if (got && got.id !== l.procore_id) fixes.push({ origin_id: l.origin_id, procore_id: got.id, dirty: true });
        continue;
      }
      const ok = got !== null && matchesDesired(l.desired as InsuranceWrite, got);
      if (!ok && l.pushed_hash !== null) ctx.add('drifted');
      if (!ok || got?.id !== l.procore_id) fixes.push({ origin_id: l.origin_id, procore_id: got?.id ?? null, dirty: !ok });
    }
    await setProcoreIds(ctx.pool, ctx.tenant.id, fixes);
    for (const r of actual) {
      if (known.has(r.origin_id!)) continue;
      // ours by prefix but unknown to the ledger (e.g. the ledger was restored from an older backup)
      ctx.checkBudget();
      await ctx.clients.procore.deleteInsurance(scope, r.id);
      ctx.add('deleted');
      ctx.add('orphansDeleted');
    }
    await ctx.beat();
  }
}

/** Rows built before their policy lapsed become `expired` without waiting for a myCOI change. */
export async function expireLapsed(ctx: RunContext): Promise<void> {
  const rows = await rowsPastExpiry(ctx.pool, ctx.tenant.id, todayUtc(ctx.now()));
  if (rows.length === 0) return;
  await upsertDesired(
    ctx.pool,
    ctx.tenant.id,
    rows.map((r) => {
      const desired = { ...(r.desired as InsuranceWrite), status: 'expired' as const };
      const scopeKey = r.target === 'company' ? 'company' : `project:${r.procore_project_id}`;
      return { ...r, desired, desired_hash: rowHash(desired, scopeKey) };
    }),
  );
  ctx.add('expiredByDate', rows.length);
}
