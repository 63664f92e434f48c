import { useEffect, useRef, useState } from 'react';
import { Button, Form } from '@procore/core-react';
import type { CreateRequest, InsuranceSetOption, ProcoreCommitmentInfo, ProcoreProjectInfo, ProcoreVendorInfo } from '@mycoi/contracts';
import { api, ApiError, newIdempotencyKey } from '../api';
import { ErrorNotice, Loading } from '../ui/States';

export type CreateFormProps = { projectId: string; onDone: () => void; onCancel: () => void } & (
  | { kind: 'project'; procore: ProcoreProjectInfo }
  | { kind: 'vendor'; procore: ProcoreVendorInfo }
  | { kind: 'commitment'; procore: ProcoreCommitmentInfo; creates: string[] }
);

type Values = Record<string, string>;

function initial(p: CreateFormProps): Values {
  if (p.kind === 'project') return { name: p.procore.name, code: p.procore.number ?? '' };
  if (p.kind === 'vendor') return { name: p.procore.name, email: p.procore.email ?? '', phone: p.procore.phone ?? '' };
  return {
    title: p.procore.title ?? '',
    contractId: p.procore.number ?? '',
    amount: p.procore.amount === null ? '' : String(p.procore.amount),
  };
}

function request(p: CreateFormProps, v: Values, setId: string | null): CreateRequest {
  const s = (k: string) => (v[k] ?? '').trim() || null;
  if (p.kind === 'project')
    return { kind: 'project', projectId: p.projectId, name: s('name') ?? '', code: s('code'), address: p.procore.address };
  if (p.kind === 'vendor') {
    return {
      kind: 'vendor',
      projectId: p.projectId,
      vendorId: p.procore.id,
      name: s('name') ?? '',
      taxId: null,
      email: s('email'),
      phone: s('phone'),
      address: p.procore.address,
    };
  }
  const amount = s('amount');
  return {
    kind: 'commitment',
    projectId: p.projectId,
    commitmentId: p.procore.id,
    insuranceSetId: setId ?? '',
    title: s('title'),
    contractId: s('contractId'),
    amount: amount === null ? null : Number(amount.replace(/[$,\s]/g, '')),
  };
}

/**
 * Create the myCOI record from the Procore data, prefilled and editable. One Idempotency-Key per
 * intent: a double click, a retry after an error or a lost response all reuse it, so the server
 * acts once; the key only changes when the user edits what is being sent.
 */
/** "Retry" only where retrying the same request can help (network, upstream trouble), not for a refusal. */
function retryable(error: unknown): boolean {
  if (!error) return false;
  if (error instanceof ApiError) return error.status === 0 || error.status >= 500 || error.status === 429;
  return false;
}

export default function CreateForm(props: CreateFormProps) {
  const [sets, setSets] = useState<InsuranceSetOption[] | null>(null);
  const [setId, setSetId] = useState<string | null>(null);
  const [setsError, setSetsError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  /** A field the user must fill: said next to the field, not as a failure to retry. */
  const [setMissing, setSetMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const attempt = useRef<{ key: string; body: string } | null>(null);

  const loadSets = () => {
    setSetsError(null);
    api.insuranceSets().then((r) => setSets(r.data), setSetsError);
  };
  useEffect(() => {
    if (props.kind === 'commitment') loadSets();
  }, [props.kind]);

  const submit = async (values: Values) => {
    if (inFlight.current) return; // a second click while the first is on its way
    const body = request(props, values, setId);
    if (body.kind === 'commitment' && !body.insuranceSetId) {
      setSetMissing(true);
      return;
    }
    const json = JSON.stringify(body);
    if (!attempt.current || attempt.current.body !== json) attempt.current = { key: newIdempotencyKey(), body: json };
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      await api.create(body, attempt.current.key);
      props.onDone();
    } catch (e) {
      setError(e);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const label = { project: 'project', vendor: 'vendor', commitment: 'commitment' }[props.kind];
  return (
    <Form initialValues={initial(props)} onSubmit={submit} view="create" enableReinitialize={false}>
      <Form.Form aria-label={`Create ${label} in myCOI`} className="panel-form">
        {props.kind === 'commitment' ? (
          <>
            {props.creates.length > 0 ? <p className="panel-muted">This also creates the {props.creates.join(' and ')} in myCOI.</p> : null}
            <Form.Row>
              <Form.Text name="title" label="Title" colWidth={12} />
            </Form.Row>
            <Form.Row>
              <Form.Text name="contractId" label="Contract number" colWidth={12} />
            </Form.Row>
            <Form.Row>
              <Form.Text name="amount" label="Amount (USD)" colWidth={12} />
            </Form.Row>
            <fieldset className="panel-fieldset" aria-describedby="sets-help">
              <legend>Insurance set</legend>
              <span id="sets-help" className="panel-muted">
                The requirements the vendor must meet.
              </span>
              {setsError ? <ErrorNotice error={setsError} onRetry={loadSets} /> : null}
              {!sets && !setsError ? <Loading label="Loading insurance sets…" /> : null}
              {sets?.map((s) => (
                <label key={s.id} style={{ fontWeight: 400 }}>
                  <input
                    type="radio"
                    name="insurance-set"
                    value={s.id}
                    checked={setId === s.id}
                    aria-invalid={setMissing}
                    onChange={() => {
                      setSetId(s.id);
                      setSetMissing(false);
                    }}
                  />{' '}
                  {s.name}
                  {s.description ? <span className="panel-muted"> — {s.description}</span> : null}
                </label>
              ))}
              {setMissing ? (
                <span role="alert" className="panel-field-error" data-testid="insurance-set-error">
                  Choose the insurance set this commitment must meet.
                </span>
              ) : null}
            </fieldset>
          </>
        ) : (
          <>
            <Form.Row>
              <Form.Text name="name" label="Name" required colWidth={12} />
            </Form.Row>
            {props.kind === 'project' ? (
              <Form.Row>
                <Form.Text name="code" label="Project number" colWidth={12} />
              </Form.Row>
            ) : (
              <>
                <Form.Row>
                  <Form.Text name="email" label="Email" colWidth={12} />
                </Form.Row>
                <Form.Row>
                  <Form.Text name="phone" label="Phone" colWidth={12} />
                </Form.Row>
              </>
            )}
          </>
        )}
        {error ? <ErrorNotice error={error} /> : null}
        <div className="panel-actions">
          <Button type="submit" variant="primary" loading={busy} disabled={busy} data-testid={`create-${props.kind}-submit`}>
            {retryable(error) ? 'Retry' : `Create ${label}`}
          </Button>
          <Button type="button" variant="tertiary" onClick={props.onCancel} disabled={busy}>
            Cancel
          </Button>
        </div>
      </Form.Form>
    </Form>
  );
}
