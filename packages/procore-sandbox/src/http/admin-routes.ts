import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { SandboxAdmin } from '../admin';
import type { Store } from '../state/store';
import type { Emitter } from '../webhooks/emitter';
import type { FaultInjector } from './faults';
import { faultsSchema } from './faults';
import type { RequestLog } from './requestlog';

/** /_sandbox/* — inspection and control for demos and benchmarks; never part of Procore's API. */
export function adminRouter(a: { store: Store; faults: FaultInjector; log: RequestLog; admin: SandboxAdmin; emitter: Emitter }): Router {
  const r = Router();
  r.use('/_sandbox', express.json({ limit: '5mb' }));
  const bad = (res: Response, message: string) => res.status(400).json({ error: { code: 'bad_request', message } });
  const wrap = (fn: (req: Request, res: Response) => void) => (req: Request, res: Response) => {
    try {
      fn(req, res);
    } catch (e) {
      if (e instanceof z.ZodError) return bad(res, e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      res.status(404).json({ error: { code: 'not_found', message: (e as Error).message } });
    }
  };

  r.get('/_sandbox/state', (_req, res) => {
    res.json(a.store.snapshot());
  });
  r.get('/_sandbox/requests', (_req, res) => {
    res.json(a.log.entries);
  });
  r.delete('/_sandbox/requests', (_req, res) => {
    a.log.entries.length = 0;
    res.status(204).end();
  });
  r.get('/_sandbox/faults', (_req, res) => {
    res.json(a.faults.current);
  });
  r.put(
    '/_sandbox/faults',
    wrap((req, res) => {
      a.faults.set(faultsSchema.parse(req.body));
      res.json(a.faults.current);
    }),
  );
  r.delete('/_sandbox/faults', (_req, res) => {
    a.faults.clear();
    res.status(204).end();
  });
  r.get('/_sandbox/events', (_req, res) => {
    res.json(a.emitter.events);
  });
  r.post(
    '/_sandbox/emit',
    wrap((req, res) => {
      const b = z
        .object({
          companyId: z.number().int(),
          projectId: z.number().int().nullable().optional(),
          resourceName: z.string(),
          resourceId: z.number().int(),
          eventType: z.enum(['create', 'update', 'delete']),
          userId: z.number().int().nullable().optional(),
        })
        .parse(req.body);
      res.status(201).json(a.emitter.emit(b));
    }),
  );
  const patch = z.record(z.string(), z.unknown());
  const id = (req: Request) => Number(req.params.id);
  r.patch(
    '/_sandbox/commitments/:id',
    wrap((req, res) => {
      res.json(a.admin.updateCommitment(id(req), patch.parse(req.body)));
    }),
  );
  r.patch(
    '/_sandbox/vendors/:id',
    wrap((req, res) => {
      res.json(a.admin.updateVendor(id(req), patch.parse(req.body)));
    }),
  );
  r.patch(
    '/_sandbox/insurances/:id',
    wrap((req, res) => {
      res.json(a.admin.updateInsurance(id(req), patch.parse(req.body)));
    }),
  );
  r.delete(
    '/_sandbox/insurances/:id',
    wrap((req, res) => {
      a.admin.deleteInsurance(id(req));
      res.status(204).end();
    }),
  );
  r.post(
    '/_sandbox/clock',
    wrap((req, res) => {
      const b = z.object({ advanceSeconds: z.number() }).parse(req.body);
      a.admin.advanceTime(b.advanceSeconds);
      res.json({ now: a.store.nowIso() });
    }),
  );
  return r;
}
