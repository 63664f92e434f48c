import { MycoiComplianceEvent, ProcoreDelivery } from './payloads';
import type { ClaimedEvent } from './store';

/** The Procore resources we subscribe to (research/procore.md §6.4) and what they mean for us. */
export const PROCORE_RESOURCES = {
  'Work Order Contracts': 'commitment',
  'Purchase Order Contracts': 'commitment',
  'Company Vendors': 'vendor',
  Projects: 'project',
} as const;
export const PROCORE_EVENT_TYPES = ['create', 'update', 'delete'] as const;

export type CommitmentType = 'work_order' | 'purchase_order';

/** One unit of targeted work after coalescing. */
export type Target =
  | { kind: 'push'; vendorIds: string[]; assignmentIds: string[] }
  | { kind: 'commitment'; projectId: string; commitmentId: string; type: CommitmentType; deleted: boolean }
  | { kind: 'vendor'; procoreVendorId: string; deleted: boolean }
  | { kind: 'project'; procoreProjectId: string; deleted: boolean };

export interface Plan {
  targets: { key: string; target: Target; eventIds: string[] }[];
  /** events that need no work: [event row id, outcome] */
  settled: { id: string; outcome: string }[];
}

/**
 * Turns one tenant's claimed batch into the fewest targeted runs: all myCOI compliance changes
 * become ONE push (the engine batches rows per scope, ≤ 1000 a call), and repeated Procore events
 * for the same commitment, vendor or project become one run each. Pure, so it is tested by table.
 */
export function planBatch(events: ClaimedEvent[]): Plan {
  const byKey = new Map<string, { key: string; target: Target; eventIds: string[] }>();
  const settled: Plan['settled'] = [];
  const vendorIds = new Set<string>();
  const assignmentIds = new Set<string>();
  const pushEvents: string[] = [];

  const add = (key: string, target: Target, eventId: string) => {
    const found = byKey.get(key);
    if (found) {
      found.eventIds.push(eventId);
      // a delete after an update (or vice versa) in one window: the latest event wins
      found.target = target;
    } else byKey.set(key, { key, target, eventIds: [eventId] });
  };

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
    const deleted = d.event_type.toLowerCase() === 'delete';
    if (kind === 'commitment') {
      if (!d.project_id) {
        settled.push({ id: e.id, outcome: 'no_project' });
        continue;
      }
      const type: CommitmentType = d.resource_name === 'Work Order Contracts' ? 'work_order' : 'purchase_order';
      add(`c:${d.resource_id}`, { kind: 'commitment', projectId: d.project_id, commitmentId: d.resource_id, type, deleted }, e.id);
    } else if (kind === 'vendor') {
      add(`v:${d.resource_id}`, { kind: 'vendor', procoreVendorId: d.resource_id, deleted }, e.id);
    } else if (kind === 'project') {
      add(`p:${d.resource_id}`, { kind: 'project', procoreProjectId: d.resource_id, deleted }, e.id);
    } else {
      settled.push({ id: e.id, outcome: 'unsupported_resource' });
    }
  }

  const targets = [...byKey.values()];
  if (pushEvents.length > 0) {
    targets.unshift({
      key: 'push',
      target: { kind: 'push', vendorIds: [...vendorIds].sort(), assignmentIds: [...assignmentIds].sort() },
      eventIds: pushEvents,
    });
  }
  return { targets, settled };
}
