import { describe, expect, it } from 'vitest';
import { planBatch } from '../src/plan';
import type { ClaimedEvent } from '../src/store';

const at = new Date('2026-11-25T10:00:00Z');
let n = 0;
function ev(source: 'procore' | 'mycoi', payload: unknown): ClaimedEvent {
  n += 1;
  return { id: String(n), source, event_id: `e${n}`, tenant_id: 't', occurred_at: at, received_at: at, payload, attempts: 1 };
}
const procore = (resource_name: string, resource_id: number, event_type = 'update', project_id: number | null = 5) =>
  ev('procore', {
    id: n + 1000,
    ulid: `u${n}`,
    timestamp: at.toISOString(),
    company_id: 1,
    project_id,
    user_id: 7,
    event_type,
    resource_name,
    resource_id,
  });
const mycoi = (level: 'vendor' | 'assignment', vendor: string, assignment: string | null = null) =>
  ev('mycoi', {
    id: `m${n}`,
    type: 'compliance.updated',
    created_at: at.toISOString(),
    account_id: 'a',
    data: { record: { level, vendor_id: vendor, assignment_id: assignment } },
  });

describe('planBatch (coalescing)', () => {
  it('turns ten events for one vendor into one push', () => {
    const plan = planBatch(Array.from({ length: 10 }, () => mycoi('vendor', 'v1')));
    expect(plan.targets).toEqual([
      { target: { kind: 'push', vendorIds: ['v1'], assignmentIds: [] }, eventIds: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] },
    ]);
    expect(plan.settled).toEqual([]);
  });

  it('puts every myCOI change of the batch in one push and every Procore change in one run', () => {
    const plan = planBatch([
      mycoi('vendor', 'v2'),
      mycoi('assignment', 'v2', 'a1'),
      mycoi('vendor', 'v1'),
      procore('Work Order Contracts', 11),
      procore('Work Order Contracts', 11),
      procore('Purchase Order Contracts', 12),
      procore('Company Vendors', 70, 'create', null),
      procore('Projects', 5, 'update', null),
    ]);
    expect(plan.targets.map((t) => t.target)).toEqual([
      { kind: 'push', vendorIds: ['v1', 'v2'], assignmentIds: ['a1'] },
      {
        kind: 'procore',
        commitments: [
          { projectId: '5', id: '11', since: '2026-11-25T09:55:00.000Z' },
          { projectId: '5', id: '12', since: '2026-11-25T09:55:00.000Z' },
        ],
        vendorIds: ['70'],
        projectIds: ['5'],
      },
    ]);
    expect(plan.targets[1]!.eventIds).toHaveLength(5);
  });

  it('settles what needs no work: deletes, unknown resources, commitments without a project, unreadable payloads', () => {
    const plan = planBatch([
      procore('Work Order Contracts', 1, 'delete'),
      procore('RFIs', 2),
      procore('Purchase Order Contracts', 3, 'update', null),
      ev('procore', { nonsense: true }),
      ev('mycoi', { id: 'x' }),
    ]);
    expect(plan.targets).toEqual([]);
    expect(plan.settled.map((s) => s.outcome)).toEqual([
      'deleted_noted',
      'unsupported_resource',
      'no_project',
      'unreadable_payload',
      'unreadable_payload',
    ]);
  });
});
