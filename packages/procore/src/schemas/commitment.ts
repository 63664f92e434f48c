import { z } from 'zod';
import { bool, id, idName, idRef, money, str } from './common';

export const WORK_ORDER_STATUSES = ['Draft', 'Out For Bid', 'Out For Signature', 'Approved', 'Complete', 'Terminated', 'Void'] as const;
export const PURCHASE_ORDER_STATUSES = [
  'Draft',
  'Processing',
  'Submitted',
  'Partially Received',
  'Received',
  'Approved',
  'Closed',
] as const;

/** Contract vendor is `{id, company}` (the company NAME), not `{id, name}`. Show adds origin_id/origin_data. */
const ContractVendor = z.looseObject({ id, company: str, origin_id: str, origin_data: str }).nullable().optional();

const contractFields = {
  id,
  number: str,
  title: str,
  executed: bool,
  private: bool,
  description: str,
  accounting_method: str,
  grand_total: money,
  revised_contract: money,
  contract_date: str,
  execution_date: str,
  issued_on_date: str,
  created_at: str,
  updated_at: str,
  deleted_at: str,
  origin_id: str,
  origin_data: str,
  origin_code: str,
  project: idName,
  vendor: ContractVendor,
};

export const WorkOrderContract = z.looseObject({
  ...contractFields,
  status: z.enum(WORK_ORDER_STATUSES),
  inclusions: str,
  exclusions: str,
  contract_start_date: str,
  contract_estimated_completion_date: str,
  actual_completion_date: str,
});
export type WorkOrderContract = z.infer<typeof WorkOrderContract>;

export const PurchaseOrderContract = z.looseObject({
  ...contractFields,
  status: z.enum(PURCHASE_ORDER_STATUSES),
  assignee: idRef,
  bill_to_address: str,
  ship_to_address: str,
  ship_via: str,
  payment_terms: str,
  delivery_date: str,
});
export type PurchaseOrderContract = z.infer<typeof PurchaseOrderContract>;

/** Generic v1.0 commitments list: vendor here IS `{id, name}`. Status accepts both families. */
export const Commitment = z.looseObject({
  id: z.number(),
  title: str,
  number: str,
  status: z.enum([...new Set([...WORK_ORDER_STATUSES, ...PURCHASE_ORDER_STATUSES])] as [string, ...string[]]),
  description: str,
  executed: bool,
  delivery_date: str,
  created_at: str,
  private: bool,
  vendor: idName,
  type: str,
});
export type Commitment = z.infer<typeof Commitment>;

export const COMPLIANCE_STATUSES = ['compliant', 'not_compliant', 'not_required'] as const;
export const ComplianceStatus = z.enum(COMPLIANCE_STATUSES);

export const Compliance = z.looseObject({
  updated_at: str,
  updated_by_id: z.number().int().nullable().optional(),
  compliance_status: ComplianceStatus.nullable().optional(),
  compliance_notes: str,
  insurance_status: ComplianceStatus.nullable().optional(),
  insurance_notes: str,
  derived_insurance_status: str,
  derived_compliance_status: str,
  insurance_documents: z
    .array(
      z.looseObject({
        id,
        name: str,
        insurance_type: str,
        level: z.enum(['company', 'project']).nullable().optional(),
        status: str,
        effective_at: str,
        expires_at: str,
      }),
    )
    .nullable()
    .optional(),
  compliance_documents: z.array(z.looseObject({ id })).nullable().optional(),
  insurance_requirements_not_created: z.array(z.looseObject({ id })).nullable().optional(),
  compliance_requirements_not_created: z.array(z.looseObject({ id })).nullable().optional(),
});
export type Compliance = z.infer<typeof Compliance>;

export interface ComplianceInput {
  compliance_status?: z.infer<typeof ComplianceStatus>;
  compliance_notes?: string;
  insurance_status?: z.infer<typeof ComplianceStatus>;
  insurance_notes?: string;
}

export interface ContractFilters {
  status?: string | string[];
  /** Inclusive range; Date or ISO-8601 strings. Either end may be omitted. */
  updatedAt?: { from?: Date | string; to?: Date | string };
  createdAt?: { from?: Date | string; to?: Date | string };
  originId?: string;
  ids?: number[];
  includeDeleted?: 'only' | 'with';
  view?: 'compact' | 'extended';
  perPage?: number;
}
