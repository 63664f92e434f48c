import { z } from 'zod';
import { UnparsedDelivery } from './webhook-unparsed';

/**
 * The ops view of a tenant's webhook events: `GET /api/ops/tenants/:id/events` (ops session).
 * The API builds it from procore_hooks, event_counters and webhook_events; the console parses it.
 */

export const EventSource = z.enum(['procore', 'mycoi']);
export type EventSource = z.infer<typeof EventSource>;

/** Per-source totals since the tenant was created (written in batches about once a second). */
export const EventCounts = z.object({
  received: z.number(),
  deduplicated: z.number(),
  rejected: z.number(),
  /** authenticated, but of a shape we could not read: kept for ops and answered 2xx */
  unparsed: z.number(),
  dropped_inactive: z.number(),
  ignored_own: z.number(),
  handled: z.number(),
  failed: z.number(),
});
export type EventCounts = z.infer<typeof EventCounts>;

export const RecentEvent = z.object({
  source: EventSource,
  eventId: z.string(),
  /** What the event is about, e.g. "Work Order Contracts update 123" or "vendor v_12 compliance". */
  subject: z.string(),
  /** The event's own type: myCOI "compliance.updated", Procore "<resource> <create|update|delete>". */
  type: z.string(),
  status: z.string(),
  outcome: z.string().nullable(),
  receivedAt: z.string(),
  handledAt: z.string().nullable(),
  latencyMs: z.number().nullable(),
});
export type RecentEvent = z.infer<typeof RecentEvent>;

export const TenantEventsSummary = z.object({
  tenantId: z.string(),
  /** The tenant's Procore webhook hook; null before the first activation. */
  hook: z
    .object({
      state: z.string(),
      hookId: z.string().nullable(),
      triggerCount: z.number(),
      registeredAt: z.string().nullable(),
      removedAt: z.string().nullable(),
      lastError: z.string().nullable(),
      /** "<resource>|<event>" triggers we need that Procore did not have when read back ('incomplete' state). */
      missingTriggers: z.array(z.string()),
    })
    .nullable(),
  counters: z.object({ procore: EventCounts, mycoi: EventCounts }),
  pending: z.number(),
  failed: z.number(),
  /** event → Procore write over the last 24 hours */
  latency: z.object({ samples: z.number(), p50Ms: z.number().nullable(), p95Ms: z.number().nullable(), maxMs: z.number().nullable() }),
  /** Newest first. */
  recent: z.array(RecentEvent),
  /** Authenticated deliveries we could not parse, newest first (kept raw and bounded). */
  unparsed: z.array(UnparsedDelivery),
});
export type TenantEventsSummary = z.infer<typeof TenantEventsSummary>;
