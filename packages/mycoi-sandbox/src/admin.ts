import { COVERAGE_LABELS } from './compliance-model';
import { ApiError } from './errors';
import type { AdminComplianceChange } from './compliance-change';
import type { ComplianceTarget } from './sandbox-types';
import type { ComplianceChange, SandboxStore } from './store';
import type { ComplianceRecord } from './types';

/** Turns an admin change (ids and timestamps optional) into a full new version of the record. */
export function setCompliance(store: SandboxStore, target: ComplianceTarget, change: AdminComplianceChange): ComplianceRecord {
  const id = 'vendorId' in target ? `cmp_v_${target.vendorId}` : `cmp_a_${target.assignmentId}`;
  const current = store.compliance.get(id);
  if (!current) throw new ApiError(404, 'not_found', 'No such vendor or assignment');
  const owner = current.assignment_id ?? current.vendor_id;
  const now = new Date().toISOString();
  const full: ComplianceChange = {};
  if (change.status) full.status = change.status;
  if (change.coverage_lines) {
    full.coverage_lines = change.coverage_lines.map((l, k) => ({
      id: l.id ?? `cov_${owner}_${k + 1}`,
      type: l.type,
      type_label: l.type_label ?? COVERAGE_LABELS[l.type],
      carrier: l.carrier ?? null,
      policy_number: l.policy_number ?? null,
      effective_date: l.effective_date ?? null,
      expiration_date: l.expiration_date ?? null,
      limits: l.limits ?? [],
      status: l.status,
      additional_insured: l.additional_insured ?? null,
      waiver_of_subrogation: l.waiver_of_subrogation ?? null,
    }));
  }
  if (change.deficiencies) {
    full.deficiencies = change.deficiencies.map((d, k) => ({
      id: d.id ?? `def_${owner}_${current.version + 1}_${k + 1}`,
      coverage_line_id: d.coverage_line_id ?? null,
      coverage_type: d.coverage_type ?? null,
      requirement: d.requirement,
      note: d.note,
      visible_to_vendor: d.visible_to_vendor ?? true,
      created_at: now,
    }));
  }
  if (change.notices) {
    full.notices = change.notices.map((n, k) => ({
      id: n.id ?? `ntc_${owner}_${current.version + 1}_${k + 1}`,
      kind: n.kind,
      recipient_role: n.recipient_role,
      recipient_email: n.recipient_email,
      sent_at: n.sent_at ?? now,
    }));
  }
  if (change.last_reviewed_at !== undefined) full.last_reviewed_at = change.last_reviewed_at;
  else if (change.status && change.status !== 'unregistered') full.last_reviewed_at = now;
  return store.changeCompliance(id, full);
}
