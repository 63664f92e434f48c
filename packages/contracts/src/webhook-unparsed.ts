import { z } from 'zod';

/**
 * An authenticated webhook delivery we could not parse (unknown or malformed shape). It was
 * answered 2xx so the sender's queue keeps moving (Procore pauses an endpoint on any non-2xx), and
 * is kept, bounded, for ops to read: `TenantEventsSummary.unparsed` (newest first).
 */
export const UnparsedDelivery = z.object({
  source: z.enum(['procore', 'mycoi']),
  /** Why it was not understood: "not JSON", or the first schema issues. */
  reason: z.string(),
  /** The body as received, cut to a few KiB for display. */
  body: z.string(),
  /** The stored body was cut (the original was larger). */
  truncated: z.boolean(),
  sizeBytes: z.number().int(),
  contentType: z.string().nullable(),
  /** The same bytes delivered this many times (redeliveries are one entry). */
  deliveries: z.number().int(),
  firstReceivedAt: z.string(),
  lastReceivedAt: z.string(),
});
export type UnparsedDelivery = z.infer<typeof UnparsedDelivery>;
