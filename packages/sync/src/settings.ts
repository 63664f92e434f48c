import { z } from 'zod';

/**
 * The sync-relevant part of `tenants.settings` (jsonb). Unknown keys are ignored (other features
 * keep their own settings there) and every key has a safe default, so a tenant registered before
 * a setting existed still syncs.
 */
export const syncSettingsSchema = z.object({
  /** Procore's own expiry emails; myCOI chases renewals itself, so off unless the customer asks. */
  expiryNotifications: z.boolean().catch(false).default(false),
  /** Commitment statuses that count as approved for vendor upkeep (Procore status strings). */
  approvedCommitmentStatuses: z.array(z.string()).catch(['Approved']).default(['Approved']),
  digestRecipients: z.array(z.string()).catch([]).default([]),
  /** Add a vendor to a project's directory when a commitment-level row needs it there. */
  addVendorsToProjectDirectory: z.boolean().catch(true).default(true),
  /** Also set each linked commitment's insurance status (Procore Pay gating). */
  commitmentStatus: z.boolean().catch(false).default(false),
});

export type SyncSettings = z.infer<typeof syncSettingsSchema>;

export function parseSyncSettings(raw: unknown): SyncSettings {
  const parsed = syncSettingsSchema.safeParse(raw && typeof raw === 'object' ? raw : {});
  return parsed.success ? parsed.data : syncSettingsSchema.parse({});
}

export type ComplianceLevel = 'vendor' | 'commitment' | 'both';

export interface SyncTenant {
  id: string;
  name: string;
  procoreCompanyId: string;
  status: string;
  compliancePush: boolean;
  complianceLevel: ComplianceLevel;
  phaseSeconds: number;
  settings: SyncSettings;
}
