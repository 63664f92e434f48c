import { useState } from 'react';
import { useFormikContext } from 'formik';
import { Button, Form } from '@procore/core-react';
import { SetMycoiBody, TenantView, ValidationResult } from '@mycoi/contracts';
import { api, asFailure, type ApiFailure } from '../api';
import { ChecksList } from '../ui/ChecksList';
import { ErrorNotice } from '../ui/ErrorNotice';
import { SavedBanner } from '../ui/SavedBanner';
import { useClearOnEdit } from '../ui/useClearOnEdit';
import { credentialSummary } from '../admin/CredentialsStep';

interface Values {
  accountId: string;
  clientId: string;
  clientSecret: string;
}

function validator(secretStored: boolean) {
  return (v: Values): Partial<Values> => {
    const errors: Partial<Values> = {};
    const parsed = SetMycoiBody.safeParse({ accountId: v.accountId, clientId: v.clientId, clientSecret: v.clientSecret || undefined });
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const k = i.path[0] as keyof Values;
        errors[k] ??= i.message;
      }
    }
    if (!secretStored && !v.clientSecret) errors.clientSecret = 'Required: no secret is stored yet';
    return errors;
  };
}

/** The tenant's myCOI account and API client; the secret is write-only, then "test connection". */
export function MycoiAccount({
  tenant,
  onChange,
  onAudit,
  onReload,
}: {
  tenant: TenantView;
  onChange: (t: TenantView) => void;
  onAudit: () => void;
  /** Refetch the tenant: a passing test stamps the credential summary's "validated at". */
  onReload: () => void;
}) {
  const [error, setError] = useState<ApiFailure>();
  const [saved, setSaved] = useState(false);
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<ValidationResult>();
  const base = `/api/ops/tenants/${encodeURIComponent(tenant.id)}/mycoi`;
  const summary = tenant.credentials.mycoi;

  const runTest = async () => {
    setTesting(true);
    setError(undefined);
    try {
      setTest(await api('POST', `${base}/test`, ValidationResult));
      onAudit();
      onReload();
    } catch (err) {
      setError(asFailure(err));
    } finally {
      setTesting(false);
    }
  };

  return (
    <div>
      <p>
        myCOI account: <strong data-testid="mycoi-account">{tenant.mycoiAccountId ?? 'not set'}</strong> · API credentials:{' '}
        <strong data-testid="mycoi-summary">{credentialSummary(summary)}</strong>
      </p>
      <ErrorNotice error={error} />
      {saved && <SavedBanner title="myCOI account saved." />}
      <Form<Values>
        initialValues={{ accountId: tenant.mycoiAccountId ?? '', clientId: summary.clientId ?? '', clientSecret: '' }}
        validate={validator(summary.set)}
        onSubmit={async (v, helpers) => {
          setError(undefined);
          setSaved(false);
          const body: SetMycoiBody = {
            accountId: v.accountId.trim(),
            clientId: v.clientId.trim(),
            ...(v.clientSecret ? { clientSecret: v.clientSecret } : {}),
          };
          try {
            const t = await api('PUT', base, TenantView, body);
            onChange(t);
            helpers.resetForm({
              values: { accountId: t.mycoiAccountId ?? '', clientId: t.credentials.mycoi.clientId ?? '', clientSecret: '' },
            });
            setSaved(true);
            setTest(undefined);
            onAudit();
          } catch (err) {
            setError(asFailure(err));
          }
        }}
      >
        <MycoiFields
          summary={summary}
          testing={testing}
          runTest={runTest}
          deactivated={tenant.status === 'deactivated'}
          onEdit={() => setSaved(false)}
        />
      </Form>
      {testing && <p role="status">Testing the myCOI connection…</p>}
      {test && !testing && (
        <div style={{ marginTop: 12 }}>
          <ChecksList result={test} label="myCOI connection checks" />
        </div>
      )}
    </div>
  );
}

// Fields read formik state through context: core-react's Form takes plain children, not a render prop.
function MycoiFields(props: {
  summary: TenantView['credentials']['mycoi'];
  testing: boolean;
  runTest: () => void;
  deactivated: boolean;
  onEdit: () => void;
}) {
  const { summary, testing, runTest, deactivated, onEdit } = props;
  const { isSubmitting } = useFormikContext<Values>();
  useClearOnEdit(onEdit);
  return (
    <Form.Form>
      <Form.Row>
        <Form.Text name="accountId" label="myCOI account ID" required colWidth={4} autoComplete="off" />
        <Form.Text name="clientId" label="myCOI client ID" required colStart={5} colWidth={4} autoComplete="off" />
        <Form.Text
          name="clientSecret"
          label="myCOI client secret"
          type="password"
          colStart={9}
          colWidth={4}
          autoComplete="new-password"
          placeholder={summary.set ? 'Stored — leave empty to keep' : ''}
          required={!summary.set}
        />
      </Form.Row>
      <div className="console-row">
        <Button type="submit" variant="primary" loading={isSubmitting} disabled={isSubmitting || deactivated}>
          Save myCOI account
        </Button>
        <Button type="button" variant="secondary" onClick={runTest} loading={testing} disabled={testing || !summary.set}>
          Test connection
        </Button>
      </div>
    </Form.Form>
  );
}
