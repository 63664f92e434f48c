import { useState } from 'react';
import { Button, H2, Pill, type PillColor } from '@procore/core-react';
import type { ComplianceView, RefreshResult } from '@mycoi/contracts';
import { api } from '../api';
import { ErrorNotice } from '../ui/States';

const date = (iso: string | null) =>
  iso
    ? new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso).toLocaleDateString('en-US', {
        timeZone: 'UTC',
        year: 'numeric',
        month: 'short',
        day: 'numeric',
      })
    : '—';

// Colours follow what Procore shows (the engine's mapping, sent by the API), never a greener reading.
const RED = new Set(['non_compliant', 'non_compliant_in_progress', 'expired']);
function color(status: string): PillColor {
  if (RED.has(status)) return 'red';
  if (status === 'compliant') return 'green';
  if (status === 'unregistered') return 'gray';
  return 'yellow';
}

/** Why a status has no coverage lines, in words (e.g. "In-Progress; Undecided" before any certificate was reviewed). */
function noLines(c: ComplianceView): string {
  if (c.statusKind === 'unregistered')
    return 'The vendor has not registered in myCOI yet, so no certificate of insurance is on file and there are no coverage lines to show.';
  if (c.statusKind === 'expired')
    return 'The certificate on file has expired; its coverage lines show again once a new certificate is reviewed.';
  if (c.outcome === 'undecided' || c.outcome === null) {
    return 'myCOI has not decided yet: no certificate of insurance has been reviewed for this, so there are no coverage lines yet. This updates once myCOI reviews a certificate.';
  }
  return 'myCOI lists no coverage lines for this record.';
}

interface Props {
  compliance: ComplianceView | null;
  subject: { kind: 'vendor' | 'commitment'; procoreId: string; projectId: string } | null;
}

/** Current compliance from myCOI and a "Refresh now" that pushes it into Procore's Insurance tab immediately. */
export function Compliance({ compliance, subject }: Props) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RefreshResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const refresh = async () => {
    if (!subject || busy) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await api.refresh(subject));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel-section" aria-labelledby="compliance-title" data-testid="compliance">
      <H2 id="compliance-title">Compliance</H2>
      {!compliance ? (
        <p className="panel-muted">
          {subject ? 'myCOI has no compliance record for this yet.' : 'Link this record to myCOI to see its compliance.'}
        </p>
      ) : (
        <>
          <div className="panel-row-head">
            <Pill color={color(compliance.procore.status)} data-testid="compliance-status">
              {compliance.statusLabel}
            </Pill>
            <span className="panel-muted">Last reviewed {date(compliance.lastReviewedAt)}</span>
          </div>
          <p className="panel-muted" data-testid="procore-status">
            In Procore: {compliance.procore.statusLabel}
          </p>
          {compliance.lines.length === 0 ? (
            <p className="panel-muted" data-testid="no-lines-explained">
              {noLines(compliance)}
            </p>
          ) : null}
          <ul className="panel-lines" aria-label="Coverage lines">
            {compliance.procore.rows.map((r) => {
              const l = compliance.lines.find((x) => x.id === r.lineId) ?? null;
              return (
                <li key={r.key} data-status={r.status}>
                  <div className="panel-row-name">{r.typeLabel}</div>
                  <div>
                    {r.statusLabel}
                    {l ? ` · Policy ${l.policyNumber ?? '—'}${l.carrier ? ` · ${l.carrier}` : ''}` : ''}
                  </div>
                  {l ? (
                    <div className="panel-muted">
                      {date(l.effectiveDate)} – {date(l.expirationDate)}
                    </div>
                  ) : null}
                  {r.reasons.length > 0 ? <div className="panel-muted">{r.reasons.join(' ')}</div> : null}
                </li>
              );
            })}
          </ul>
          {compliance.deficiencies.length > 0 ? (
            <>
              <strong>Deficiencies</strong>
              <ul aria-label="Deficiency notes">
                {compliance.deficiencies.map((d) => (
                  <li key={d.id}>
                    {d.note} <span className="panel-muted">(required: {d.requirement})</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      )}
      {subject ? (
        <div className="panel-actions">
          <Button variant="secondary" onClick={refresh} loading={busy} disabled={busy}>
            Refresh now
          </Button>
          {result ? (
            <span role="status" data-testid="refresh-result">
              {result.message}
            </span>
          ) : null}
        </div>
      ) : null}
      {error ? <ErrorNotice error={error} onRetry={refresh} /> : null}
    </section>
  );
}
