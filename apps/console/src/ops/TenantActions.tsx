import { useState } from 'react';
import { Button } from '@procore/core-react';
import { TenantView } from '@mycoi/contracts';
import { api, asFailure, type ApiFailure } from '../api';
import { ErrorNotice } from '../ui/ErrorNotice';
import { SavedBanner } from '../ui/SavedBanner';
import { ConfirmAction, type PendingAction } from './ConfirmAction';

const ACTIONS: Record<PendingAction['id'], PendingAction> = {
  activate: {
    id: 'activate',
    title: 'Activate this tenant?',
    body: 'Data starts flowing for this company and its legacy myCOI–Procore integration is turned off in the same step.',
    confirmLabel: 'Activate',
  },
  suspend: {
    id: 'suspend',
    title: 'Suspend this tenant?',
    body: 'Nothing flows until the tenant is resumed. Stored links and settings are kept.',
    confirmLabel: 'Suspend',
  },
  resume: { id: 'resume', title: 'Resume this tenant?', body: 'Sync and the side panel start working again.', confirmLabel: 'Resume' },
  deactivate: {
    id: 'deactivate',
    title: 'Deactivate this tenant?',
    body: 'This is final: the integration stops for good and cannot be resumed. The customer would have to register again.',
    confirmLabel: 'Deactivate',
  },
};

/** Lifecycle buttons valid for the tenant's current status; the API is the judge, these just avoid dead ends. */
export function TenantActions({
  tenant,
  onChange,
  onAudit,
}: {
  tenant: TenantView;
  onChange: (t: TenantView) => void;
  onAudit: () => void;
}) {
  const [pending, setPending] = useState<PendingAction>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiFailure>();
  const [notice, setNotice] = useState<string>();
  const base = `/api/ops/tenants/${encodeURIComponent(tenant.id)}`;

  const run = async (id: PendingAction['id'], reason: string) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      onChange(await api('POST', `${base}/${id}`, TenantView, reason.trim() ? { reason: reason.trim() } : {}));
      setNotice(`Tenant ${id === 'activate' ? 'activated' : id === 'resume' ? 'resumed' : `${id}ed`}.`);
      setPending(undefined);
      onAudit();
    } catch (err) {
      setError(asFailure(err));
      setPending(undefined);
    } finally {
      setBusy(false);
    }
  };
  const s = tenant.status;
  return (
    <div>
      <div className="console-row" role="group" aria-label="Tenant actions" style={{ marginBottom: 12 }}>
        {s === 'awaiting_activation' && (
          <Button variant="primary" onClick={() => setPending(ACTIONS.activate)} disabled={busy}>
            Activate
          </Button>
        )}
        {s === 'registered' && <span className="console-hint">Waiting for the customer to finish setup and request activation.</span>}
        {s === 'active' && (
          <>
            <Button variant="secondary" onClick={() => setPending(ACTIONS.suspend)} disabled={busy}>
              Suspend
            </Button>
          </>
        )}
        {s === 'suspended' && (
          <Button variant="primary" onClick={() => setPending(ACTIONS.resume)} disabled={busy}>
            Resume
          </Button>
        )}
        {s !== 'deactivated' && (
          <Button variant="tertiary" onClick={() => setPending(ACTIONS.deactivate)} disabled={busy}>
            Deactivate
          </Button>
        )}
      </div>
      <ErrorNotice error={error} title="The action did not go through" />
      {notice && <SavedBanner title={notice} />}
      {pending && (
        <ConfirmAction
          action={pending}
          busy={busy}
          onCancel={() => setPending(undefined)}
          onConfirm={(reason) => void run(pending.id, reason)}
        />
      )}
    </div>
  );
}
