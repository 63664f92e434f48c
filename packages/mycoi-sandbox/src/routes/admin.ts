import { Router } from 'express';
import { z } from 'zod';
import { ApiError } from '../errors';
import type { FaultConfig } from '../faults';
import type { SandboxAdmin } from '../sandbox-types';
import { complianceChangeSchema } from '../compliance-change';

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
