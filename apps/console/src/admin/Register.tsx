import { useState } from 'react';
import { Button, P, RadioButton } from '@procore/core-react';
import { TenantView, type ProcoreEnvironment } from '@mycoi/contracts';
import { api, asFailure, type ApiFailure } from '../api';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Section } from '../ui/Section';
import { ENVIRONMENT_OPTIONS } from './options';

export function Register({
  companyId,
  company,
  serviceEnvironment,
  onRegistered,
}: {
  companyId: string;
  company: { id: string; name: string };
  /** The environment this service is connected to: preselected, and marked, so a demo is never registered as Production by accident. */
  serviceEnvironment: ProcoreEnvironment;
  onRegistered: (t: TenantView) => void;
}) {
  const [environment, setEnvironment] = useState<ProcoreEnvironment>(serviceEnvironment);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiFailure>();

  const register = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onRegistered(
        await api('POST', `/api/admin/companies/${encodeURIComponent(companyId)}/register`, TenantView, {
          procoreEnvironment: environment,
        }),
      );
    } catch (err) {
      setError(asFailure(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section id="register" title={`Register ${company.name}`}>
      <P>
        Register Procore company <strong>{company.name}</strong> (ID {company.id}) with myCOI. Registering passes no data yet; you will
        enter credentials and choose features next.
      </P>
      <fieldset style={{ border: 'none', padding: 0, margin: '0 0 12px' }}>
        <legend style={{ marginBottom: 6 }}>Procore environment</legend>
        {ENVIRONMENT_OPTIONS.map((o) => (
          <div key={o.id} style={{ padding: '2px 0' }}>
            <RadioButton name="environment" value={o.id} checked={environment === o.id} onChange={() => setEnvironment(o.id)}>
              {o.label}
              {o.id === serviceEnvironment ? ' — the environment this service is connected to' : ''}
            </RadioButton>
          </div>
        ))}
      </fieldset>
      <ErrorNotice error={error} />
      <Button variant="primary" onClick={register} loading={busy} disabled={busy}>
        Register company
      </Button>
    </Section>
  );
}
