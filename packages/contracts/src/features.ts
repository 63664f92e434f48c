import type { ComplianceLevel, TenantSettings } from './tenants';

/**
 * THE gate: which features run for a tenant. One pure function, asked by the scheduler, the sync
 * engine, the event receivers and worker, the side panel API and the consoles, so no two places
 * can disagree. The rule (from myCOI's integration FAQ; the root README states it too):
 *
 * - Nothing runs unless the tenant is active (ops activated it and did not suspend it).
 * - "Compliance push" is the compliance product: myCOI → Procore rows at the chosen level(s), and
 *   with it the vendor upkeep (vendors on approved commitments created in myCOI every 2 hours) and
 *   the "in Procore but not in myCOI" digest, which exist to feed compliance.
 * - "Side panel" is the panel only: a side-panel-only tenant gets no rows, no upkeep, no digest.
 * - Commitment-level push, per-commitment status, upkeep and the digest read Procore commitments:
 *   without the Commitments tool (validation found it missing) they are off with that reason;
 *   vendor-level push and the panel still work.
 * - Per-commitment status also needs commitment-level push and the tenant's setting.
 * - Events (webhooks) only trigger push and upkeep work: on when either runs.
 * - A stored settings document that does not parse stops every sync feature (never made-up
 *   values); the side panel keeps working.
 */
export const gatedFeatures = ['side_panel', 'push_vendor', 'push_commitment', 'upkeep', 'digest', 'commitment_status', 'events'] as const;
export type GatedFeature = (typeof gatedFeatures)[number];

export const featureOffReasons = [
  'not_active',
  'side_panel_off',
  'compliance_push_off',
  'level_commitment_only',
  'level_vendor_only',
  'no_commitments_tool',
  'commitment_status_off',
  'settings_invalid',
  'nothing_to_trigger',
] as const;
export type FeatureOffReason = (typeof featureOffReasons)[number];

export type FeatureDecision = { on: true; reason: null; message: null } | { on: false; reason: FeatureOffReason; message: string };
export type TenantFeatures = Record<GatedFeature, FeatureDecision>;

export interface GateInput {
  status: string;
  compliancePush: boolean;
  sidePanel: boolean;
  complianceLevel: ComplianceLevel;
  /** false = validation found no Commitments tool; null = not known (treated as present) */
  commitmentsTool: boolean | null;
  /** null when the stored document does not parse */
  settings: Pick<TenantSettings, 'commitmentComplianceStatus'> | null;
}

export const FEATURE_OFF_MESSAGES: Record<FeatureOffReason, string> = {
  not_active: 'The myCOI integration is not active for this company',
  side_panel_off: 'The side panel is not enabled for this company',
  compliance_push_off: 'Compliance push is not enabled for this company (side panel only)',
  level_commitment_only: 'Compliance is pushed at commitment level only',
  level_vendor_only: 'Compliance is pushed at vendor level only',
  no_commitments_tool: 'The Procore service account has no access to the Commitments tool, so commitment features are off',
  commitment_status_off: 'Writing the per-commitment insurance status is not enabled in the settings',
  settings_invalid: 'The stored settings are invalid: save them again in the console',
  nothing_to_trigger: 'Neither compliance push nor upkeep runs for this company',
};

const ON: FeatureDecision = { on: true, reason: null, message: null };
const off = (reason: FeatureOffReason): FeatureDecision => ({ on: false, reason, message: FEATURE_OFF_MESSAGES[reason] });

export function tenantFeatures(t: GateInput): TenantFeatures {
  if (t.status !== 'active') {
    const all = off('not_active');
    return { side_panel: all, push_vendor: all, push_commitment: all, upkeep: all, digest: all, commitment_status: all, events: all };
  }
  const noTool = t.commitmentsTool === false;
  // sync features in order of the checks; the first failing one is the reason shown
  const sync = (...checks: Array<[boolean, FeatureOffReason]>): FeatureDecision => {
    for (const [fails, reason] of checks) if (fails) return off(reason);
    return ON;
  };
  const invalid: [boolean, FeatureOffReason] = [t.settings === null, 'settings_invalid'];
  const push: [boolean, FeatureOffReason] = [!t.compliancePush, 'compliance_push_off'];
  const tool: [boolean, FeatureOffReason] = [noTool, 'no_commitments_tool'];
  const pushVendor = sync(push, [t.complianceLevel === 'commitment', 'level_commitment_only'], invalid);
  const pushCommitment = sync(push, [t.complianceLevel === 'vendor', 'level_vendor_only'], tool, invalid);
  const upkeep = sync(push, tool, invalid);
  return {
    side_panel: t.sidePanel ? ON : off('side_panel_off'),
    push_vendor: pushVendor,
    push_commitment: pushCommitment,
    upkeep,
    digest: upkeep,
    commitment_status: pushCommitment.on ? (t.settings?.commitmentComplianceStatus ? ON : off('commitment_status_off')) : pushCommitment,
    events: pushVendor.on || pushCommitment.on || upkeep.on ? ON : sync(push, invalid, [true, 'nothing_to_trigger']),
  };
}

/** Compliance push runs at any level. */
export const pushRuns = (f: TenantFeatures): boolean => f.push_vendor.on || f.push_commitment.on;
