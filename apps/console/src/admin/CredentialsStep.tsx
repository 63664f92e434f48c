import { useState } from 'react';
import { useFormikContext } from 'formik';
import { Button, Form } from '@procore/core-react';
import { SetDmsaCredentialsBody, TenantView } from '@mycoi/contracts';
import { api, asFailure, type ApiFailure } from '../api';
import { ErrorNotice } from '../ui/ErrorNotice';
import { SavedBanner } from '../ui/SavedBanner';
import { useClearOnEdit } from '../ui/useClearOnEdit';
import { Section } from '../ui/Section';
import { when } from '../ui/format';
import { OptionRadios } from './fields';
import type { Option } from './options';
import type { StepProps } from './step-props';

type Source = 'tenant' | 'shared';
interface Values {
  source: Option<Source>;
  clientId: string;
  clientSecret: string;
}

const SOURCES: Option<Source>[] = [
  { id: 'tenant', label: 'Our own DMSA app (client ID and secret from Procore’s App Management)' },
  { id: 'shared', label: 'myCOI’s marketplace app (installed from the Procore App Marketplace)' },
];

/** "set · …abcd · validated at …" — the only thing the API ever tells about a stored secret. */
export function credentialSummary(c: TenantView['credentials']['procoreDmsa']): string {
  if (!c.set) return 'Not set';
  const parts = ['Set', c.source === 'shared' ? 'myCOI marketplace app' : `client ID …${c.clientIdLast4 ?? '????'}`];
  parts.push(c.validatedAt ? `validated ${when(c.validatedAt)}` : 'not validated yet');
  return parts.join(' · ');
}

function validate(values: Values): Partial<Record<keyof Values, string>> {
  if (values.source.id === 'shared') return {};
  const parsed = SetDmsaCredentialsBody.safeParse({ source: 'tenant', clientId: values.clientId, clientSecret: values.clientSecret });
  if (parsed.success) return {};
  const errors: Partial<Record<keyof Values, string>> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0] as keyof Values;
    errors[key] ??= key === 'clientId' ? `Client ID: ${issue.message}` : `Client secret: ${issue.message}`;
  }
  return errors;
}

export function CredentialsStep({ companyId, tenant, onChange, sharedAppAvailable }: StepProps & { sharedAppAvailable: boolean }) {
  const [error, setError] = useState<ApiFailure>();
  const [saved, setSaved] = useState(false);
  const summary = tenant.credentials.procoreDmsa;
  const initial: Values = {
    source: SOURCES.find((s) => s.id === (summary.source ?? 'tenant')) ?? SOURCES[0]!,
    clientId: summary.clientId ?? '', // kept: re-saving only a new secret must work
    clientSecret: '', // a stored secret is never sent back, so never prefilled
  };

  return (
    <Section id="credentials" title="1. Procore DMSA credentials">
      <p>
        myCOI reads and writes Procore through a Developer Managed Service Account (DMSA). Current credentials:{' '}
        <strong data-testid="dmsa-summary">{credentialSummary(summary)}</strong>
      </p>
      <ErrorNotice error={error} title="The credentials were not saved" />
      {saved && <SavedBanner title="Credentials saved. Validate them next." />}
      <Form<Values>
        initialValues={initial}
        validate={validate}
        validateOnBlur
        validateOnChange={false}
        onSubmit={async (values, helpers) => {
          setError(undefined);
          setSaved(false);
          const body: SetDmsaCredentialsBody =
            values.source.id === 'shared'
              ? { source: 'shared' }
              : { source: 'tenant', clientId: values.clientId.trim(), clientSecret: values.clientSecret };
          try {
            onChange(await api('PUT', `/api/admin/companies/${encodeURIComponent(companyId)}/credentials`, TenantView, body));
            helpers.resetForm({ values: { ...values, clientId: values.clientId.trim(), clientSecret: '' } });
            setSaved(true);
          } catch (err) {
            setError(asFailure(err));
          }
        }}
      >
        <CredentialFields sharedAppAvailable={sharedAppAvailable} summary={summary} onEdit={() => setSaved(false)} />
      </Form>
    </Section>
  );
}

// Fields read formik state through context: core-react's Form takes plain children, not a render prop.
function CredentialFields(props: { sharedAppAvailable: boolean; summary: TenantView['credentials']['procoreDmsa']; onEdit: () => void }) {
  const { sharedAppAvailable, summary, onEdit } = props;
  const { values, isSubmitting } = useFormikContext<Values>();
  useClearOnEdit(onEdit);
  return (
    <Form.Form>
      {sharedAppAvailable && <OptionRadios name="source" label="Which Procore app" options={SOURCES} />}
      {values.source.id === 'tenant' && (
        <Form.Row>
          <Form.Text name="clientId" label="DMSA client ID" required colWidth={6} autoComplete="off" />
          <Form.Text
            name="clientSecret"
            label="DMSA client secret"
            type="password"
            required
            colStart={7}
            colWidth={6}
            autoComplete="new-password"
            placeholder={summary.set ? 'Stored — enter a new secret to replace it' : ''}
          />
        </Form.Row>
      )}
      <Button type="submit" variant="primary" loading={isSubmitting} disabled={isSubmitting}>
        Save credentials
      </Button>
    </Form.Form>
  );
}
