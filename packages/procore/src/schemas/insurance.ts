import { z } from 'zod';
import { bool, id, money, str } from './common';

export const INSURANCE_STATUSES = [
  'compliant',
  'compliant_in_progress',
  'expired',
  'non_compliant',
  'non_compliant_in_progress',
  'undecided',
  'unregistered',
] as const;
export const InsuranceStatus = z.enum(INSURANCE_STATUSES);
export type InsuranceStatus = z.infer<typeof InsuranceStatus>;

/** One shape for all four families. The carrier comes back as `insurance_provider` but is written as `name`. */
export const Insurance = z.looseObject({
  id,
  vendor_id: z.number().int().nullable().optional(),
  insurance_type: str,
  insurance_provider: str,
  policy_number: str,
  limit: money,
  effective_date: str,
  expiration_date: str,
  status: InsuranceStatus.nullable().optional(),
  exempt: bool,
  info_received: bool,
  enable_expired_insurance_notifications: bool,
  notes: str,
  additional_insured: str,
  division_template: str,
  insurance_sets: str,
  origin_id: str,
  origin_data: str,
});
export type Insurance = z.infer<typeof Insurance>;

/** Writable fields; null clears a field. */
export interface InsuranceInput {
  insurance_type?: string | null;
  /** The carrier; returned as `insurance_provider`. */
  name?: string | null;
  policy_number?: string | null;
  limit?: string | null;
  effective_date?: string | null;
  expiration_date?: string | null;
  status?: InsuranceStatus;
  exempt?: boolean;
  info_received?: boolean;
  enable_expired_insurance_notifications?: boolean;
  notes?: string | null;
  additional_insured?: string | null;
  division_template?: string | null;
  insurance_sets?: string | null;
  origin_id?: string | null;
  origin_data?: string | null;
  /** Required by the flat company/project endpoints, ignored by the vendor-scoped ones. */
  vendor_id?: number;
}

export type InsuranceSyncItem = InsuranceInput & { id?: number };
