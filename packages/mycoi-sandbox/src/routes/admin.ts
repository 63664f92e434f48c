import { Router } from 'express';
import { z } from 'zod';
import { COVERAGE_TYPES, LIMIT_KINDS, STATUS_CODES } from '../compliance-model';
import { ApiError } from '../errors';
import type { FaultConfig } from '../faults';
import type { SandboxAdmin } from '../sandbox-types';
import type { StatusCode } from '../types';

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

const faultSchema = z
  .object({
    latencyMs: z.number().min(0).optional(),
    errorRate: z.number().min(0).max(1).optional(),
    errorStatuses: z.array(z.number().int().min(500).max(599)).optional(),
    rateLimitStorm: z.union([z.boolean(), z.number().int().min(0)]).optional(),
    retryAfterSec: z.number().int().min(0).optional(),
    resetRate: z.number().min(0).max(1).optional(),
    timeoutRate: z.number().min(0).max(1).optional(),
    malformedRate: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
  })
  .strict();
const webhookSchema = z
  .object({
    url: z.url(),
    secret: z.string().min(1),
    attempts: z.number().int().min(1).max(20).optional(),
    backoffMs: z.number().int().min(0).optional(),
    timeoutMs: z.number().int().min(1).optional(),
  })
  .strict();

/** `/_sandbox/...`: never part of myCOI's API; for tests, the demo and benchmarks. */
export function adminRoutes(admin: SandboxAdmin): Router {
  const r = Router();
  r.get('/_sandbox/state', (req, res) => {
    res.json(req.query.full === '1' ? admin.fullState() : { seed: admin.seedSummary(), counts: admin.counts(), faults: admin.faults() });
  });
  r.get('/_sandbox/requests', (_req, res) => {
    res.json(admin.requests());
  });
  r.delete('/_sandbox/requests', (_req, res) => {
    admin.clearRequests();
    res.status(204).end();
  });
  r.put('/_sandbox/faults', (req, res) => {
    admin.setFaults(faultSchema.parse(req.body ?? {}) as FaultConfig);
    res.json(admin.faults());
  });
  r.delete('/_sandbox/faults', (_req, res) => {
    admin.setFaults({});
    res.status(204).end();
  });
  r.post('/_sandbox/compliance/:level/:id', (req, res) => {
    const level = req.params.level;
    if (level !== 'vendors' && level !== 'assignments') throw new ApiError(404, 'not_found', 'Use vendors or assignments');
    const change = complianceChangeSchema.parse(req.body ?? {});
    const target = level === 'vendors' ? { vendorId: req.params.id } : { assignmentId: req.params.id };
    res.json(admin.setCompliance(target, change));
  });
  r.post('/_sandbox/users/:email/unlock', (req, res) => {
    admin.unlockUser(req.params.email);
    res.status(204).end();
  });
  r.post('/_sandbox/tokens/expire', (_req, res) => {
    admin.expireTokens();
    res.status(204).end();
  });
  r.put('/_sandbox/webhook', (req, res) => {
    admin.setWebhook(webhookSchema.parse(req.body ?? {}));
    res.status(204).end();
  });
  r.delete('/_sandbox/webhook', (_req, res) => {
    admin.setWebhook(undefined);
    res.status(204).end();
  });
  r.get('/_sandbox/webhook/deliveries', (_req, res) => {
    res.json(admin.deliveries());
  });
  return r;
}
