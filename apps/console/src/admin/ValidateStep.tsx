import { useState } from 'react';
import { Button, Spinner } from '@procore/core-react';
import { AdminCompanyView, ValidationResult } from '@mycoi/contracts';
import { api, asFailure, type ApiFailure } from '../api';
import { ChecksList } from '../ui/ChecksList';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Section } from '../ui/Section';
import type { StepProps } from './step-props';

const CHECKS_IN_ORDER = ['token obtained', 'company visible', 'permitted projects', 'directory readable', 'commitments readable'];

/** Runs the DMSA checks against Procore; each check is listed with its own verdict and fix hint. */
export function ValidateStep({ companyId, tenant, onChange }: StepProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiFailure>();
  const result = tenant.lastValidation;
  const base = `/api/admin/companies/${encodeURIComponent(companyId)}`;

  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await api('POST', `${base}/validate`, ValidationResult);
      // Validation also stamps the credential summary ("validated at"): refetch the whole view.
      const view = await api('GET', base, AdminCompanyView);
      onChange(view.tenant ?? { ...tenant, lastValidation: res });
    } catch (err) {
      setError(asFailure(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section id="validate" title="2. Validate the credentials">
      <p>We check with Procore, one step at a time: {CHECKS_IN_ORDER.join(', ')}.</p>
      <ErrorNotice error={error} title="Validation could not run" />
      {busy ? (
        <div role="status" aria-live="polite" className="console-row" style={{ padding: '12px 0' }}>
          <Spinner loading size="sm" />
          <span>Checking with Procore… token, company, projects, directory, commitments, project access</span>
        </div>
      ) : (
        result && <ChecksList result={result} label="DMSA validation checks" />
      )}
      <Button
        variant={result?.ok ? 'secondary' : 'primary'}
        onClick={run}
        loading={busy}
        disabled={busy || !tenant.credentials.procoreDmsa.set}
      >
        {result ? 'Validate again' : 'Validate credentials'}
      </Button>
      {!tenant.credentials.procoreDmsa.set && (
        <span className="console-hint" style={{ marginLeft: 8 }}>
          Save credentials first.
        </span>
      )}
    </Section>
  );
}
