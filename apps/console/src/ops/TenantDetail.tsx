import { useEffect } from 'react';
import { Button, Link, Spinner } from '@procore/core-react';
import { AuditList, TenantView } from '@mycoi/contracts';
import { api } from '../api';
import { onLinkClick } from '../router';
import { useResource } from '../useResource';
import { FeaturesList } from '../ui/FeaturesList';
import { ChecksList } from '../ui/ChecksList';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Section } from '../ui/Section';
import { StatusPill } from '../ui/StatusPill';
import { SyncSection } from '../ui/SyncSection';
import { when } from '../ui/format';
import { credentialSummary } from '../admin/CredentialsStep';
import { describeFeatures, environmentLabel, LEVEL_OPTIONS } from '../admin/options';
import { AuditTable } from './AuditTable';
import { EventsSection } from './EventsSection';
import { MycoiAccount } from './MycoiAccount';
import { TenantActions } from './TenantActions';

export function TenantDetail({ id, onUnauthorized }: { id: string; onUnauthorized: () => void }) {
  const base = `/api/ops/tenants/${encodeURIComponent(id)}`;
  const tenant = useResource(base, () => api('GET', base, TenantView));
  const audit = useResource(`${base}/audit`, () => api('GET', `${base}/audit`, AuditList));
  useEffect(() => {
    if (tenant.error?.status === 401) onUnauthorized();
  }, [tenant.error, onUnauthorized]);

  const back = (
    <Link href="/console/ops" onClick={onLinkClick('/console/ops')}>
      ← All tenants
    </Link>
  );
  if (!tenant.data) {
    return (
      <div>
        {back}
        {tenant.error ? <ErrorNotice error={tenant.error} /> : <Spinner label="Loading tenant…" loading centered />}
      </div>
    );
  }
  const t = tenant.data;
  const reloadAudit = () => void audit.reload();
  return (
    <div>
      {back}
      <div className="console-row" style={{ margin: '8px 0 12px' }}>
        <h1 style={{ margin: 0, fontSize: 22 }}>{t.name}</h1>
        <StatusPill status={t.status} />
        <span className="console-hint">
          Procore company {t.procoreCompanyId} · {environmentLabel(t.procoreEnvironment)}
        </span>
      </div>
      <Section id="actions" title="Lifecycle">
        <TenantActions tenant={t} onChange={tenant.set} onAudit={reloadAudit} />
        <dl className="console-dl">
          <dt>Registered</dt>
          <dd>{when(t.createdAt)}</dd>
          <dt>Activation requested</dt>
          <dd>{when(t.activationRequestedAt)}</dd>
          <dt>Activated</dt>
          <dd>{when(t.activatedAt)}</dd>
          <dt>Suspended</dt>
          <dd>{when(t.suspendedAt)}</dd>
          <dt>Deactivated</dt>
          <dd>{when(t.deactivatedAt)}</dd>
          <dt>Legacy integration</dt>
          <dd data-testid="legacy-status">{t.legacyIntegrationActive ? 'Active' : `Retired ${when(t.legacyRetiredAt)}`}</dd>
        </dl>
      </Section>
      <Section id="setup-checks" title="Setup checks">
        <p>
          Procore DMSA credentials: <strong>{credentialSummary(t.credentials.procoreDmsa)}</strong>
        </p>
        {t.lastValidation ? (
          <ChecksList result={t.lastValidation} label="DMSA validation checks" />
        ) : (
          <p>The customer has not validated credentials yet.</p>
        )}
      </Section>
      <Section id="what-runs" title="What runs">
        <FeaturesList tenant={t} />
      </Section>
      <Section id="settings" title="Settings">
        <dl className="console-dl">
          <dt>Features</dt>
          <dd>{describeFeatures(t.features)}</dd>
          <dt>Compliance level</dt>
          <dd>{LEVEL_OPTIONS.find((o) => o.id === t.complianceLevel)?.label}</dd>
          <dt>Approved statuses</dt>
          <dd>{t.settings.approvedStatuses.join(', ') || '—'}</dd>
          <dt>Procore expiry emails</dt>
          <dd>{t.settings.procoreExpiryEmails ? 'On' : 'Off'}</dd>
          <dt>Commitment compliance status</dt>
          <dd>{t.settings.commitmentComplianceStatus ? 'Written' : 'Not written'}</dd>
          <dt>Digest recipients</dt>
          <dd>{t.settings.digestRecipients.join(', ') || '—'}</dd>
        </dl>
      </Section>
      <Section id="mycoi" title="myCOI account">
        <MycoiAccount tenant={t} onChange={tenant.set} onAudit={reloadAudit} onReload={() => void tenant.reload()} />
      </Section>
      <SyncSection base={base} refreshKey={`${t.status}:${t.updatedAt}`} onUnauthorized={onUnauthorized} />
      <EventsSection tenantId={t.id} tenantStatus={t.status} />
      <Section
        id="audit"
        title="Audit trail"
        actions={
          <Button variant="tertiary" onClick={reloadAudit}>
            Refresh
          </Button>
        }
      >
        <ErrorNotice error={audit.error} />
        {audit.data ? <AuditTable entries={audit.data.entries} /> : !audit.error && <Spinner label="Loading audit trail…" loading />}
      </Section>
    </div>
  );
}
