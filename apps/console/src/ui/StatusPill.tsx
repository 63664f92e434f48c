import { Pill, type PillColor } from '@procore/core-react';
import type { TenantStatus } from '@mycoi/contracts';

const LOOK: Record<TenantStatus, { color: PillColor; label: string }> = {
  registered: { color: 'gray', label: 'Registered' },
  awaiting_activation: { color: 'yellow', label: 'Awaiting activation' },
  active: { color: 'green', label: 'Active' },
  suspended: { color: 'red', label: 'Suspended' },
  deactivated: { color: 'gray', label: 'Deactivated' },
};

export function statusLabel(status: TenantStatus): string {
  return LOOK[status].label;
}

export function StatusPill({ status }: { status: TenantStatus }) {
  const look = LOOK[status];
  return (
    <Pill color={look.color} data-status={status}>
      {look.label}
    </Pill>
  );
}

export function OkPill({ ok, okText = 'OK', failText = 'Failed' }: { ok: boolean; okText?: string; failText?: string }) {
  return <Pill color={ok ? 'green' : 'red'}>{ok ? okText : failText}</Pill>;
}
