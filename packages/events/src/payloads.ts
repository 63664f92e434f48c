import { z } from 'zod';

const id = z.union([z.number().int(), z.string().regex(/^\d{1,20}$/)]).transform(String);
const nullableId = z
  .union([id, z.null()])
  .optional()
  .transform((v) => v ?? null);

/**
 * Procore's v2.0 (and v3.0, which only adds related_resources) webhook delivery (Procore's webhooks
 * documentation). Only the fields we act on are read; the stored payload keeps the whole body as received.
 */
export const ProcoreDeliveryV2 = z.object({
  id: id,
  ulid: z.string().min(1).max(64).optional(),
  timestamp: z.string().min(1).max(64),
  metadata: z
    .object({
      source_user_id: nullableId,
      source_application_id: z.union([z.string(), z.number()]).nullable().optional(),
    })
    .partial()
    .nullable()
    .optional(),
  user_id: nullableId,
  company_id: id,
  project_id: nullableId,
  api_version: z.string().max(16).optional(),
  event_type: z.string().min(1).max(32),
  resource_name: z.string().min(1).max(100),
  resource_id: id,
});

/**
 * Procore's payload v4.0: the ULID is the `id`, every id is a string, `reason` replaces
 * event_type (and may hold values beyond create/update/delete) and `resource_type` replaces
 * resource_name. Procore documents no list of v4 resource_type values, so they are kept as sent:
 * one we do not subscribe under that name is settled as 'unsupported_resource', not guessed.
 * Normalised to the v2 field names so the rest of the path reads one shape.
 */
const ProcoreDeliveryV4 = z
  .object({
    id: z.string().min(1).max(64),
    timestamp: z.string().min(1).max(64),
    reason: z.string().min(1).max(32),
    company_id: id,
    project_id: nullableId,
    user_id: nullableId,
    resource_type: z.string().min(1).max(100),
    resource_id: id,
  })
  .transform((v) => ({
    id: v.id,
    ulid: v.id,
    timestamp: v.timestamp,
    metadata: null,
    user_id: v.user_id,
    company_id: v.company_id,
    project_id: v.project_id,
    api_version: 'v4.0',
    event_type: v.reason,
    resource_name: v.resource_type,
    resource_id: v.resource_id,
  }));

/** A Procore delivery in any payload version we read (v2.0/v3.0 first: it is what our hooks ask for). */
export const ProcoreDelivery = z.union([ProcoreDeliveryV2, ProcoreDeliveryV4]);
export type ProcoreDelivery = z.output<typeof ProcoreDelivery>;

/** The dedupe key of a Procore delivery: the ulid when present (v2 docs say dedupe by ulid/id). */
export const procoreEventId = (p: ProcoreDelivery): string => p.ulid ?? `id:${p.id}`;

/**
 * myCOI's compliance.updated event (packages/mycoi/openapi.yaml → ComplianceUpdatedEvent). We need
 * only who changed; the engine re-reads the record itself, so an out-of-order delivery cannot
 * write stale compliance.
 */
export const MycoiComplianceEvent = z.object({
  id: z.string().min(1).max(200),
  type: z.literal('compliance.updated'),
  created_at: z.string().min(1).max(64),
  account_id: z.string().min(1).max(200),
  data: z.object({
    record: z.object({
      level: z.enum(['vendor', 'assignment']),
      vendor_id: z.string().min(1).max(200),
      assignment_id: z.string().min(1).max(200).nullable(),
      version: z.number().int().optional(),
      updated_at: z.string().optional(),
    }),
  }),
});
export type MycoiComplianceEvent = z.infer<typeof MycoiComplianceEvent>;

/** A parsable instant, else null (a bad timestamp must not stop handling: latency is then from receipt). */
export function parseInstant(s: string | undefined | null): Date | null {
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}
