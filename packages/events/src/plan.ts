import { MycoiComplianceEvent, ProcoreDelivery } from './payloads';
import type { ClaimedEvent } from './store';

/** The Procore resources we subscribe to (Procore's webhooks documentation) and what they mean for us. */
export const PROCORE_RESOURCES = {
  'Work Order Contracts': 'commitment',
  'Purchase Order Contracts': 'commitment',
  'Company Vendors': 'vendor',
  Projects: 'project',
} as const;
/**
 * The event types Procore offers per resource (its webhooks documentation): Projects have no delete
 * trigger and Company Vendors' delete is documented but not offered everywhere, so we ask only for
 * what each resource has — an unknown trigger is refused (422) and would leave the hook half made.
 */
export const PROCORE_EVENT_TYPES: Record<keyof typeof PROCORE_RESOURCES, readonly ('create' | 'update' | 'delete')[]> = {
  'Work Order Contracts': ['create', 'update', 'delete'],
  'Purchase Order Contracts': ['create', 'update', 'delete'],
  'Company Vendors': ['create', 'update'],
  Projects: ['create', 'update'],
};

// Procore's updated_at and its event timestamp come from different clocks: read a margin back.
const SINCE_MARGIN_MS = 5 * 60_000;

export interface CommitmentRef {
  projectId: string;
  id: string;
  /** re-read commitments updated at or after this (ISO), null = all of the project */
  since: string | null;
}

/** One unit of targeted work after coalescing; at most one of each kind per tenant batch. */
export type Target =
  | { kind: 'push'; vendorIds: string[]; assignmentIds: string[] }
  | { kind: 'procore'; commitments: CommitmentRef[]; vendorIds: string[]; projectIds: string[] };

export interface Plan {
  targets: { target: Target; eventIds: string[] }[];
  /** events that need no work: [event row id, outcome] */
  settled: { id: string; outcome: string }[];
}

/**
 * Turns one tenant's claimed batch into at most two targeted runs: every myCOI compliance change
 * joins ONE push (the engine sends rows per scope, ≤ 1000 a call), and every Procore change joins
 * ONE upkeep-style run (commitments re-read per project, vendors of approved ones ensured, links
 * of changed vendors refreshed). Repeats of one subject collapse. Pure, so it is tested by table.
 */
export function planBatch(events: ClaimedEvent[]): Plan {
  const settled: Plan['settled'] = [];
  const vendorIds = new Set<string>();
  const assignmentIds = new Set<string>();
  const pushEvents: string[] = [];
  const commitments = new Map<string, CommitmentRef>();
  const procoreVendors = new Set<string>();
  const projects = new Set<string>();
  const procoreEvents: string[] = [];

  for (const e of events) {
    if (e.source === 'mycoi') {
      const p = MycoiComplianceEvent.safeParse(e.payload);
      if (!p.success) {
        settled.push({ id: e.id, outcome: 'unreadable_payload' });
        continue;
      }
      const r = p.data.data.record;
      if (r.level === 'assignment' && r.assignment_id) assignmentIds.add(r.assignment_id);
      else vendorIds.add(r.vendor_id);
      pushEvents.push(e.id);
      continue;
    }
    const p = ProcoreDelivery.safeParse(e.payload);
    if (!p.success) {
      settled.push({ id: e.id, outcome: 'unreadable_payload' });
      continue;
    }
    const d = p.data;
    const kind = PROCORE_RESOURCES[d.resource_name as keyof typeof PROCORE_RESOURCES];
    if (d.event_type.toLowerCase() === 'delete') {
      // nothing to ensure for a deleted record; the cycle's reconcile repairs what it leaves behind
      settled.push({ id: e.id, outcome: kind ? 'deleted_noted' : 'unsupported_resource' });
      continue;
    }
    if (kind === 'commitment') {
      if (!d.project_id) {
        settled.push({ id: e.id, outcome: 'no_project' });
        continue;
      }
      const at = (e.occurred_at ?? e.received_at).getTime() - SINCE_MARGIN_MS;
      const since = new Date(at).toISOString();
      const prev = commitments.get(d.resource_id);
      commitments.set(d.resource_id, {
        projectId: d.project_id,
        id: d.resource_id,
        since: prev && prev.since! < since ? prev.since : since,
      });
    } else if (kind === 'vendor') procoreVendors.add(d.resource_id);
    else if (kind === 'project') projects.add(d.resource_id);
    else {
      settled.push({ id: e.id, outcome: 'unsupported_resource' });
      continue;
    }
    procoreEvents.push(e.id);
  }

  const targets: Plan['targets'] = [];
  if (pushEvents.length > 0) {
    targets.push({
      target: { kind: 'push', vendorIds: [...vendorIds].sort(), assignmentIds: [...assignmentIds].sort() },
      eventIds: pushEvents,
    });
  }
  if (procoreEvents.length > 0) {
    targets.push({
      target: {
        kind: 'procore',
        commitments: [...commitments.values()],
        vendorIds: [...procoreVendors].sort(),
        projectIds: [...projects].sort(),
      },
      eventIds: procoreEvents,
    });
  }
  return { targets, settled };
}
