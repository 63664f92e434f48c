import { Pill } from '@procore/core-react';
import { gatedFeatures, tenantFeatures, type GatedFeature, type TenantView } from '@mycoi/contracts';

const LABELS: Record<GatedFeature, string> = {
  side_panel: 'Side panel',
  push_vendor: 'Compliance push, vendor level (Company Directory)',
  push_commitment: 'Compliance push, commitment level (Project Directory)',
  upkeep: 'Vendors of approved commitments created in myCOI',
  digest: '"In Procore, not in myCOI" digest',
  commitment_status: 'Per-commitment insurance status',
  events: 'Immediate updates (webhooks)',
};

/**
 * What runs for this tenant and why not, answered by THE gate (tenantFeatures in @mycoi/contracts,
 * the same function the scheduler, sync engine, events and panel ask), never re-derived here.
 */
export function FeaturesList({ tenant }: { tenant: TenantView }) {
  const f = tenantFeatures({
    status: tenant.status,
    compliancePush: tenant.features.compliancePush,
    sidePanel: tenant.features.sidePanel,
    complianceLevel: tenant.complianceLevel,
    commitmentsTool: tenant.commitmentsTool,
    settings: tenant.settingsError ? null : tenant.settings,
  });
  return (
    <div>
      {tenant.settingsError ? (
        <p role="alert" className="console-hint" data-testid="settings-error">
          The stored settings could not be read ({tenant.settingsError}); nothing syncs until they are saved again.
        </p>
      ) : null}
      <ul className="console-checks" aria-label="What runs">
        {gatedFeatures.map((id) => (
          <li key={id} data-feature={id} data-on={String(f[id].on)}>
            <div className="console-row">
              <Pill color={f[id].on ? 'green' : 'gray'}>{f[id].on ? 'On' : 'Off'}</Pill>
              <strong>{LABELS[id]}</strong>
              {f[id].message ? <span>{f[id].message}</span> : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
