import { z } from 'zod';

/**
 * A current problem of a tenant's integration, in plain words with the fix. Written by the sync
 * engine, validation and hook registration; read by the customer and ops consoles. A problem is
 * keyed by (kind, scope) so the same cause seen on every run is one entry with a count, and it is
 * cleared when the cause goes away (the scope is written again, the permission is granted).
 */
export const syncProblemKinds = [
  /** 403 on a project: the service account is not in the project's permitted projects. */
  'project_forbidden',
  /** 403 on a tool (company or project level): the permission template lacks it. */
  'tool_forbidden',
  /** A commitment-level row needs the vendor in a project's directory and it is not there. */
  'vendor_not_in_project',
  /** A myCOI assignment has no Procore commitment link yet (waits for upkeep or the side panel). */
  'not_linked',
  /** An approved Procore commitment (or its project) has no myCOI record. */
  'missing_in_mycoi',
  /** Procore refused a row (per-item error of the sync endpoint). */
  'row_rejected',
  /** A linked commitment's kind (work order / purchase order) could not be read from Procore (403/404): its status is not written. */
  'commitment_unknown',
  /** Webhook triggers the integration needs are not registered. */
  'hooks_missing',
  /** The stored settings document does not parse. */
  'settings_invalid',
  /** The credentials stopped working (401). */
  'credentials_invalid',
] as const;
export const SyncProblemKind = z.enum(syncProblemKinds);
export type SyncProblemKind = z.infer<typeof SyncProblemKind>;

export const SyncProblem = z.object({
  kind: SyncProblemKind,
  /** Stable key of what is affected, e.g. "project:5002", "tool:commitments", "row:mycoi:v:ven_1:gl". */
  scope: z.string(),
  /** One line a customer admin understands, e.g. "No access to project Riverside Medical Center". */
  title: z.string(),
  /** What happened, with the upstream answer in words. */
  detail: z.string(),
  /** What to change and where, e.g. "Add the myCOI service account to project Riverside Medical Center in Procore". */
  fix: z.string(),
  /** How many times it was seen since it first appeared (runs or rows). */
  count: z.number().int(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
});
export type SyncProblem = z.infer<typeof SyncProblem>;
