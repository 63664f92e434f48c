import { useEffect, useState } from 'react';
import { Button } from '@procore/core-react';
import { TenantView } from '@mycoi/contracts';
import { api, asFailure, type ApiFailure } from '../api';
import { ErrorNotice } from '../ui/ErrorNotice';
import { OkPill } from '../ui/StatusPill';
import { Section } from '../ui/Section';
import type { StepProps } from './step-props';

/** What the API will insist on, shown up front so the admin knows before pressing the button. */
export function readiness(t: TenantView): { label: string; ok: boolean }[] {
  return [
    { label: 'DMSA credentials saved', ok: t.credentials.procoreDmsa.set },
    { label: 'Credentials passed validation', ok: Boolean(t.lastValidation?.ok) },
    { label: 'At least one feature chosen', ok: t.features.compliancePush || t.features.sidePanel },
  ];
}

export function ActivationStep({ companyId, tenant, onChange }: StepProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiFailure>();
  const items = readiness(tenant);
  const ready = items.every((i) => i.ok);
  // a refusal answered the setup as it was then: once the items change it no longer applies
  const key = items.map((i) => String(i.ok)).join();
  useEffect(() => setError(undefined), [key]);
  const request = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onChange(await api('POST', `/api/admin/companies/${encodeURIComponent(companyId)}/request-activation`, TenantView));
    } catch (err) {
      setError(asFailure(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section id="activation" title="4. Request activation">
      <p>
        When you are ready, myCOI ops review your setup and activate the integration. Activation also turns off your existing (legacy)
        myCOI–Procore integration so records are not written twice.
      </p>
      <ul className="console-checks" aria-label="Activation readiness">
        {items.map((i) => (
          <li key={i.label} className="console-row">
            <OkPill ok={i.ok} okText="Done" failText="To do" /> {i.label}
          </li>
        ))}
      </ul>
      <ErrorNotice error={error} title="Activation was not requested" />
      <Button variant="primary" onClick={request} loading={busy} disabled={busy || !ready}>
        Request activation
      </Button>
      {!ready && (
        <span className="console-hint" style={{ marginLeft: 8 }} data-testid="activation-hint">
          Finish the items marked “To do” first.
        </span>
      )}
    </Section>
  );
}
