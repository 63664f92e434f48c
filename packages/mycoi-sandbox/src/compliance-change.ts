import { z } from 'zod';
import { COVERAGE_TYPES, LIMIT_KINDS, STATUS_CODES } from './compliance-model';
import type { StatusCode } from './types';

// The admin route's body for setting a record's compliance. Its own module: the sandbox's admin
// interface (sandbox-types.ts) names the type, and the route imports that interface.
const limitSchema = z.object({ kind: z.enum(LIMIT_KINDS), amount: z.number().int().min(0) });
const lineSchema = z.object({
  id: z.string().optional(),
  type: z.enum(COVERAGE_TYPES),
  type_label: z.string().optional(),
  carrier: z.string().nullable().optional(),
  policy_number: z.string().nullable().optional(),
  effective_date: z.iso.date().nullable().optional(),
  expiration_date: z.iso.date().nullable().optional(),
  limits: z.array(limitSchema).optional(),
  status: z.enum(['compliant', 'non_compliant', 'pending_review', 'expired', 'missing']),
  additional_insured: z.boolean().nullable().optional(),
  waiver_of_subrogation: z.boolean().nullable().optional(),
});
const deficiencySchema = z.object({
  id: z.string().optional(),
  coverage_line_id: z.string().nullable().optional(),
  coverage_type: z.enum(COVERAGE_TYPES).nullable().optional(),
  requirement: z.string(),
  note: z.string(),
  visible_to_vendor: z.boolean().optional(),
});
const noticeSchema = z.object({
  id: z.string().optional(),
  kind: z.enum(['certificate_request', 'renewal_request', 'non_compliance_notice', 'policy_confirmation', 'expiration_notice']),
  recipient_role: z.enum(['vendor', 'agent']),
  recipient_email: z.email(),
  sent_at: z.iso.datetime().optional(),
});
export const complianceChangeSchema = z
  .object({
    status: z.enum(STATUS_CODES as [StatusCode, ...StatusCode[]]).optional(),
    coverage_lines: z.array(lineSchema).optional(),
    deficiencies: z.array(deficiencySchema).optional(),
    notices: z.array(noticeSchema).optional(),
    last_reviewed_at: z.iso.datetime().nullable().optional(),
  })
  .strict();
export type AdminComplianceChange = z.infer<typeof complianceChangeSchema>;
