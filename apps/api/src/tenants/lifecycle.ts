import type { TenantStatus } from '@mycoi/contracts';

/**
 * The tenant lifecycle as data. Every status change goes through `nextStatus`; anything not in
 * the table is refused. `deactivated` is final (a company that comes back re-registers with ops).
 */
export type TenantAction = 'request_activation' | 'activate' | 'suspend' | 'resume' | 'deactivate';

export const TRANSITIONS: Readonly<Record<TenantAction, readonly { from: TenantStatus; to: TenantStatus }[]>> = {
  request_activation: [{ from: 'registered', to: 'awaiting_activation' }],
  activate: [{ from: 'awaiting_activation', to: 'active' }],
  suspend: [{ from: 'active', to: 'suspended' }],
  resume: [{ from: 'suspended', to: 'active' }],
  deactivate: [
    { from: 'registered', to: 'deactivated' },
    { from: 'awaiting_activation', to: 'deactivated' },
    { from: 'active', to: 'deactivated' },
    { from: 'suspended', to: 'deactivated' },
  ],
};

/** The status after `action`, or null when the action is not allowed from `from`. */
export function nextStatus(from: TenantStatus, action: TenantAction): TenantStatus | null {
  return TRANSITIONS[action].find((t) => t.from === from)?.to ?? null;
}

export function allowedActions(from: TenantStatus): TenantAction[] {
  return (Object.keys(TRANSITIONS) as TenantAction[]).filter((a) => nextStatus(from, a) !== null);
}

/** Which timestamp column records entering a status by an action (for the row update). */
export const TIMESTAMP_COLUMN: Readonly<Record<TenantAction, string>> = {
  request_activation: 'activation_requested_at',
  activate: 'activated_at',
  suspend: 'suspended_at',
  resume: 'resumed_at',
  deactivate: 'deactivated_at',
};

/** Who may perform an action: customers only ask; myCOI ops decide. */
export const ACTION_ACTOR: Readonly<Record<TenantAction, 'admin' | 'ops'>> = {
  request_activation: 'admin',
  activate: 'ops',
  suspend: 'ops',
  resume: 'ops',
  deactivate: 'ops',
};
