import { useState } from 'react';
import { AttentionBanner, Banner, Button, ErrorBanner, InfoBanner, SuccessBanner } from '@procore/core-react';
import type { TenantStatus, TenantView } from '@mycoi/contracts';
import { FeaturesList } from '../ui/FeaturesList';
import { ChecksList } from '../ui/ChecksList';
import { Section } from '../ui/Section';
import { StatusPill } from '../ui/StatusPill';
import { when } from '../ui/format';
import { SyncSection } from '../ui/SyncSection';
import { credentialSummary } from './CredentialsStep';
import { describeFeatures, environmentLabel, LEVEL_OPTIONS } from './options';
import { SettingsForm } from './SettingsStep';

const MESSAGE: Record<Exclude<TenantStatus, 'registered'>, { banner: typeof InfoBanner; title: string; body: string }> = {
  awaiting_activation: {
    banner: AttentionBanner,
    title: 'Awaiting activation by myCOI',
    body: 'Your setup is complete. myCOI ops have been notified and will activate the integration; nothing flows until then.',
  },
  active: { banner: SuccessBanner, title: 'Active', body: 'The integration is running for your company.' },
  suspended: {
    banner: ErrorBanner,
    title: 'Suspended',
    body: 'myCOI ops have paused the integration: nothing flows until it is resumed. Contact myCOI support for details.',
  },
  deactivated: { banner: InfoBanner, title: 'Deactivated', body: 'This integration has been turned off permanently.' },
};

/** After activation is requested: where the tenant stands, what is configured, and the legacy integration. */
export function StatusView({
  companyId,
  company,
  tenant,
  onRefresh,
  refreshing,
}: {
  companyId: string;
  company: { id: string; name: string };
  tenant: TenantView;
  onRefresh: () => Promise<void>;
  refreshing: boolean;
}) {
  const [current, setCurrent] = useState(tenant);
  const t = current.updatedAt >= tenant.updatedAt ? current : tenant;
  const [editing, setEditing] = useState(false);
  const msg = MESSAGE[t.status as Exclude<TenantStatus, 'registered'>];
  const Bn = msg.banner;
  return (
    <div>
      <div className="console-row" style={{ marginBottom: 12 }}>
        <h1 style={{ margin: 0, fontSize: 22 }}>{company.name}</h1>
        <StatusPill status={t.status} />
        <Button variant="tertiary" onClick={() => void onRefresh()} loading={refreshing}>
          Refresh
        </Button>
      </div>
      <Bn role="status" style={{ marginBottom: 16 }}>
        <Banner.Content>
          <Banner.Title>{msg.title}</Banner.Title>
          <Banner.Body>{msg.body}</Banner.Body>
        </Banner.Content>
      </Bn>
      <Section id="status" title="Integration status">
        <dl className="console-dl">
          <dt>Status</dt>
          <dd>
            <StatusPill status={t.status} />
          </dd>
          <dt>Activation requested</dt>
          <dd>{when(t.activationRequestedAt)}</dd>
          <dt>Activated</dt>
          <dd>{when(t.activatedAt)}</dd>
          {t.suspendedAt && (
            <>
              <dt>Suspended</dt>
              <dd>{when(t.suspendedAt)}</dd>
            </>
          )}
          <dt>Legacy integration</dt>
          <dd data-testid="legacy-status">
            {t.legacyIntegrationActive
              ? 'Still on — it is turned off when myCOI activates this integration'
              : `Turned off${t.legacyRetiredAt ? ` ${when(t.legacyRetiredAt)}` : ''}`}
          </dd>
          <dt>Features</dt>
          <dd>{describeFeatures(t.features)}</dd>
          {t.features.compliancePush && (
            <>
              <dt>Compliance level</dt>
              <dd>{LEVEL_OPTIONS.find((o) => o.id === t.complianceLevel)?.label}</dd>
            </>
          )}
          <dt>DMSA credentials</dt>
          <dd>{credentialSummary(t.credentials.procoreDmsa)}</dd>
          <dt>Procore environment</dt>
          <dd data-testid="procore-environment">{environmentLabel(t.procoreEnvironment)}</dd>
        </dl>
      </Section>
      {t.status !== 'awaiting_activation' && (
        <SyncSection base={`/api/admin/companies/${encodeURIComponent(companyId)}`} refreshKey={`${t.status}:${t.updatedAt}`} />
      )}
      {t.lastValidation && (
        <Section id="last-validation" title="Last credential check">
          <ChecksList result={t.lastValidation} label="DMSA validation checks" />
        </Section>
      )}
      <Section id="what-runs" title="What runs">
        <FeaturesList tenant={t} />
      </Section>
      {t.status !== 'deactivated' && (
        <Section
          id="settings"
          title="Settings"
          actions={
            <Button variant="secondary" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
              {editing ? 'Close' : 'Change settings'}
            </Button>
          }
        >
          {editing ? (
            <SettingsForm companyId={companyId} tenant={t} onChange={setCurrent} />
          ) : (
            <dl className="console-dl">
              <dt>Approved statuses</dt>
              <dd>{t.settings.approvedStatuses.join(', ') || '—'}</dd>
              <dt>Procore expiry emails</dt>
              <dd>{t.settings.procoreExpiryEmails ? 'On' : 'Off'}</dd>
              <dt>Digest recipients</dt>
              <dd>{t.settings.digestRecipients.join(', ') || '—'}</dd>
            </dl>
          )}
        </Section>
      )}
    </div>
  );
}
