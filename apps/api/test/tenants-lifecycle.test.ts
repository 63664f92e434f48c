import { describe, expect, it } from 'vitest';
import { tenantStatuses, type TenantStatus } from '@mycoi/contracts';
import { ACTION_ACTOR, allowedActions, nextStatus, type TenantAction } from '../src/tenants/lifecycle';

const actions: TenantAction[] = ['request_activation', 'activate', 'suspend', 'resume', 'deactivate'];

// The whole table, spelled out: every (status, action) pair and its outcome (null = refused).
const expected: Record<TenantStatus, Record<TenantAction, TenantStatus | null>> = {
  registered: { request_activation: 'awaiting_activation', activate: null, suspend: null, resume: null, deactivate: 'deactivated' },
  awaiting_activation: { request_activation: null, activate: 'active', suspend: null, resume: null, deactivate: 'deactivated' },
  active: { request_activation: null, activate: null, suspend: 'suspended', resume: null, deactivate: 'deactivated' },
  suspended: { request_activation: null, activate: null, suspend: null, resume: 'active', deactivate: 'deactivated' },
  deactivated: { request_activation: null, activate: null, suspend: null, resume: null, deactivate: null },
};

describe('tenant lifecycle table', () => {
  for (const from of tenantStatuses) {
    for (const action of actions) {
      const to = expected[from][action];
      it(`${from} --${action}--> ${to ?? 'refused'}`, () => {
        expect(nextStatus(from, action)).toBe(to);
      });
    }
  }

  it('lists allowed actions per status', () => {
    expect(allowedActions('registered')).toEqual(['request_activation', 'deactivate']);
    expect(allowedActions('active')).toEqual(['suspend', 'deactivate']);
    expect(allowedActions('deactivated')).toEqual([]);
  });

  it('only ops activate, suspend, resume and deactivate; customers only request', () => {
    expect(ACTION_ACTOR.request_activation).toBe('admin');
    expect(actions.filter((a) => ACTION_ACTOR[a] === 'ops')).toEqual(['activate', 'suspend', 'resume', 'deactivate']);
  });
});
