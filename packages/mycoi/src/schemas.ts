import { z } from 'zod';

// zod schemas of the responses this client reads, written from openapi.yaml. Objects are not
// strict (new fields myCOI adds are ignored); a record that breaks these is reported, not fatal.

const nullableString = z.string().nullable();
const datetime = z.iso.datetime({ offset: true });

export const roleSchema = z.enum(['admin', 'manager', 'viewer']);
export const userSchema = z.object({ id: z.string(), email: z.string(), name: z.string(), account_id: z.string(), role: roleSchema });
export const accountSchema = z.object({ id: z.string(), name: z.string() });
export const meSchema = z.object({ token_kind: z.enum(['client', 'user']), account: accountSchema, user: userSchema.nullable() });
export const clientTokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().int().positive(),
  account_id: z.string(),
});
export const userTokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().int().positive(),
  user: userSchema,
});

export const addressSchema = z.object({
  line1: nullableString.optional(),
  line2: nullableString.optional(),
  city: nullableString.optional(),
  state: nullableString.optional(),
  postal_code: nullableString.optional(),
  country: nullableString.optional(),
});
export const contactSchema = z.object({
  name: z.string(),
  email: nullableString.optional(),
  phone: nullableString.optional(),
  kind: z.enum(['primary', 'insurance_agent', 'billing', 'other']).optional(),
});

export const divisionSchema = z.object({
  id: z.string(),
  account_id: z.string(),
  name: z.string(),
  code: nullableString,
  external_id: nullableString,
  address: addressSchema.nullable(),
  active: z.boolean(),
  created_at: datetime,
  updated_at: datetime,
});
export const vendorSchema = z.object({
  id: z.string(),
  account_id: z.string(),
  name: z.string(),
  tax_id: nullableString,
  external_id: nullableString,
  address: addressSchema.nullable(),
  contacts: z.array(contactSchema),
  registered: z.boolean(),
  created_at: datetime,
  updated_at: datetime,
});

export const coverageTypeSchema = z.enum([
  'general_liability',
  'automobile_liability',
  'umbrella_liability',
  'excess_liability',
  'workers_compensation',
  'professional_liability',
  'pollution_liability',
  'builders_risk',
  'other',
]);
export const limitSchema = z.object({
  kind: z.enum([
    'each_occurrence',
    'general_aggregate',
    'products_completed_operations_aggregate',
    'personal_advertising_injury',
    'damage_to_rented_premises',
    'medical_expense',
    'combined_single_limit',
    'bodily_injury_per_person',
    'bodily_injury_per_accident',
    'property_damage',
    'aggregate',
    'each_accident',
    'disease_each_employee',
    'disease_policy_limit',
    'each_claim',
  ]),
  amount: z.number().int().min(0),
});
export const insuranceSetSchema = z.object({
  id: z.string(),
  account_id: z.string(),
  name: z.string(),
  description: nullableString,
  requirements: z.array(
    z.object({
      coverage_type: coverageTypeSchema,
      minimum_limits: z.array(limitSchema),
      additional_insured: z.boolean(),
      waiver_of_subrogation: z.boolean(),
    }),
  ),
  created_at: datetime,
  updated_at: datetime,
});
export const assignmentSchema = z.object({
  id: z.string(),
  account_id: z.string(),
  vendor_id: z.string(),
  division_id: z.string(),
  insurance_set_id: z.string(),
  contract_id: nullableString,
  external_id: nullableString,
  title: nullableString,
  amount: z.number().nullable(),
  tracking: z.enum(['active', 'removed']),
  created_at: datetime,
  updated_at: datetime,
});

export const complianceStatusSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('reviewed'),
      review_state: z.enum(['in_progress', 'finalized']),
      outcome: z.enum(['compliant', 'non_compliant', 'undecided']),
      label: z.string(),
    })
    .refine((s) => !(s.review_state === 'finalized' && s.outcome === 'undecided'), 'finalized cannot be undecided'),
  z.object({ kind: z.literal('unregistered'), label: z.string() }),
  z.object({ kind: z.literal('expired'), label: z.string() }),
]);
export const coverageLineSchema = z.object({
  id: z.string(),
  type: coverageTypeSchema,
  type_label: z.string(),
  carrier: nullableString,
  policy_number: nullableString,
  effective_date: z.iso.date().nullable(),
  expiration_date: z.iso.date().nullable(),
  limits: z.array(limitSchema),
  status: z.enum(['compliant', 'non_compliant', 'pending_review', 'expired', 'missing']),
  additional_insured: z.boolean().nullable(),
  waiver_of_subrogation: z.boolean().nullable(),
});
export const deficiencySchema = z.object({
  id: z.string(),
  coverage_line_id: nullableString,
  coverage_type: coverageTypeSchema.nullable(),
  requirement: z.string(),
  note: z.string(),
  visible_to_vendor: z.boolean(),
  created_at: datetime,
});
export const noticeSchema = z.object({
  id: z.string(),
  kind: z.enum(['certificate_request', 'renewal_request', 'non_compliance_notice', 'policy_confirmation', 'expiration_notice']),
  recipient_role: z.enum(['vendor', 'agent']),
  recipient_email: z.string(),
  sent_at: datetime,
});
export const complianceRecordSchema = z
  .object({
    id: z.string(),
    account_id: z.string(),
    level: z.enum(['vendor', 'assignment']),
    vendor_id: z.string(),
    assignment_id: nullableString,
    division_id: nullableString,
    insurance_set_id: nullableString,
    status: complianceStatusSchema,
    coverage_lines: z.array(coverageLineSchema),
    deficiencies: z.array(deficiencySchema),
    notices: z.array(noticeSchema),
    version: z.number().int().min(1),
    updated_at: datetime,
    last_reviewed_at: datetime.nullable(),
  })
  .refine(
    (r) => (r.level === 'assignment') === (r.assignment_id !== null),
    'assignment_id must be set exactly for assignment-level records',
  );

export const pageEnvelope = z.object({ data: z.array(z.unknown()), next_cursor: z.string().nullable() });
export const feedEnvelope = z.object({ data: z.array(z.unknown()), next_cursor: z.string(), has_more: z.boolean() });
export const errorEnvelope = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });
export const webhookEventSchema = z.object({
  id: z.string().min(1),
  type: z.literal('compliance.updated'),
  created_at: datetime,
  account_id: z.string(),
  data: z.object({ record: complianceRecordSchema }),
});

export type Role = z.infer<typeof roleSchema>;
export type MycoiUser = z.infer<typeof userSchema>;
export type Me = z.infer<typeof meSchema>;
export type Address = z.infer<typeof addressSchema>;
export type Contact = z.infer<typeof contactSchema>;
export type Division = z.infer<typeof divisionSchema>;
export type Vendor = z.infer<typeof vendorSchema>;
export type InsuranceSet = z.infer<typeof insuranceSetSchema>;
export type Assignment = z.infer<typeof assignmentSchema>;
export type CoverageType = z.infer<typeof coverageTypeSchema>;
export type ComplianceStatus = z.infer<typeof complianceStatusSchema>;
export type CoverageLine = z.infer<typeof coverageLineSchema>;
export type DeficiencyNote = z.infer<typeof deficiencySchema>;
export type Notice = z.infer<typeof noticeSchema>;
export type ComplianceRecord = z.infer<typeof complianceRecordSchema>;
export type ComplianceUpdatedEvent = z.infer<typeof webhookEventSchema>;

export interface DivisionCreate {
  name: string;
  code?: string | null;
  external_id?: string | null;
  address?: Address | null;
}
export interface VendorCreate {
  name: string;
  tax_id?: string | null;
  external_id?: string | null;
  address?: Address | null;
  contacts?: Contact[];
}
export interface AssignmentCreate {
  vendor_id: string;
  division_id: string;
  insurance_set_id: string;
  contract_id?: string | null;
  external_id?: string | null;
  title?: string | null;
  amount?: number | null;
}
