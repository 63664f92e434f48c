import type { ComplianceLevel, Features, ProcoreEnvironment } from '@mycoi/contracts';

export interface Option<T extends string> {
  id: T;
  label: string;
}

export type FeatureChoice = 'push' | 'panel' | 'both';

export const FEATURE_OPTIONS: Option<FeatureChoice>[] = [
  { id: 'push', label: 'Compliance push only — write myCOI compliance into Procore’s Insurance tabs' },
  { id: 'panel', label: 'Side panel only — create and link myCOI records from Procore' },
  { id: 'both', label: 'Both' },
];

export const LEVEL_OPTIONS: Option<ComplianceLevel>[] = [
  { id: 'vendor', label: 'Vendor level (Company Directory)' },
  { id: 'commitment', label: 'Commitment level (Project Directory)' },
  { id: 'both', label: 'Both levels' },
];

export const ENVIRONMENT_OPTIONS: Option<ProcoreEnvironment>[] = [
  { id: 'production', label: 'Production (app.procore.com)' },
  { id: 'sandbox', label: 'Developer sandbox' },
  { id: 'monthly', label: 'Monthly sandbox' },
  { id: 'local', label: 'Local demo sandbox (not a real Procore)' },
];

/** Procore commitment statuses (subcontracts and purchase orders). */
export const COMMITMENT_STATUSES = ['Draft', 'Out For Bid', 'Out For Signature', 'Approved', 'Complete', 'Terminated', 'Void'];

export function featureChoice(f: Features): FeatureChoice | null {
  if (f.compliancePush && f.sidePanel) return 'both';
  if (f.compliancePush) return 'push';
  if (f.sidePanel) return 'panel';
  return null;
}

export function featuresOf(choice: FeatureChoice): Features {
  return { compliancePush: choice !== 'panel', sidePanel: choice !== 'push' };
}

export function describeFeatures(f: Features): string {
  const c = featureChoice(f);
  return c ? (FEATURE_OPTIONS.find((o) => o.id === c)?.label.split(' — ')[0] ?? c) : 'None chosen';
}

export function byId<T extends string>(options: Option<T>[], id: T | null | undefined): Option<T> | null {
  return options.find((o) => o.id === id) ?? null;
}

/** An environment in words (the stored id is not for people). */
export const environmentLabel = (id: ProcoreEnvironment): string => ENVIRONMENT_OPTIONS.find((o) => o.id === id)?.label ?? id;
