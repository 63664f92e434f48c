import { useEffect, useState } from 'react';
import { Button, Input, Spinner, Table } from '@procore/core-react';
import { TenantList as TenantListSchema, tenantStatuses, type TenantStatus, type TenantView } from '@mycoi/contracts';
import { api } from '../api';
import { navigate, onLinkClick } from '../router';
import { useResource } from '../useResource';
import { ErrorNotice } from '../ui/ErrorNotice';
import { DataTable, type Column } from '../ui/DataTable';
import { Section } from '../ui/Section';
import { StatusPill, statusLabel } from '../ui/StatusPill';
import { when } from '../ui/format';
import { describeFeatures } from '../admin/options';

function listUrl(status: string, q: string): string {
  const p = new URLSearchParams();
  if (status) p.set('status', status);
  if (q.trim()) p.set('q', q.trim());
  const s = p.toString();
  return s ? `?${s}` : '';
}

const COLUMNS: Column<TenantView>[] = [
  {
    header: 'Company',
    cell: (t) => (
      <Table.LinkCell href={`/console/ops/tenants/${t.id}`} onClick={onLinkClick(`/console/ops/tenants/${t.id}`)}>
        {t.name}
      </Table.LinkCell>
    ),
    raw: true,
  },
  { header: 'Procore ID', cell: (t) => t.procoreCompanyId },
  { header: 'Status', cell: (t) => <StatusPill status={t.status} />, raw: true },
  { header: 'Features', cell: (t) => describeFeatures(t.features) },
  {
    header: 'Credentials',
    cell: (t) =>
      t.lastValidation ? (t.lastValidation.ok ? 'Validated' : 'Failing checks') : t.credentials.procoreDmsa.set ? 'Not validated' : 'None',
  },
  { header: 'Activation requested', cell: (t) => when(t.activationRequestedAt) },
  {
    header: 'Sync',
    cell: (t) => `${SYNC_STATE[t.syncHealth.state]}${t.syncHealth.problemCount ? ` · ${t.syncHealth.problemCount} problem(s)` : ''}`,
  },
];

const SYNC_STATE: Record<TenantView['syncHealth']['state'], string> = {
  inactive: 'Not active',
  never_run: 'No run yet',
  queued: 'Queued',
  running: 'Running',
  ok: 'OK',
  failing: 'Failing',
  backing_off: 'Waiting after failures',
};

/** All tenants, filtered by status and name/company id; filters live in the URL so they survive reloads. */
export function TenantList({ status, q, onUnauthorized }: { status: string | null; q: string | null; onUnauthorized: () => void }) {
  const qs = listUrl(status ?? '', q ?? '');
  const list = useResource(`tenants${qs}`, () => api('GET', `/api/ops/tenants${qs}`, TenantListSchema));
  const [typed, setTyped] = useState(q ?? '');
  useEffect(() => {
    if (list.error?.status === 401) onUnauthorized();
  }, [list.error, onUnauthorized]);

  const apply = (nextStatus: string, nextQ: string) => navigate(`/console/ops${listUrl(nextStatus, nextQ)}`);
  const tenants = list.data?.tenants ?? [];

  return (
    <Section
      id="tenants"
      title="Tenants"
      actions={
        <Button variant="tertiary" onClick={() => void list.reload()}>
          Refresh
        </Button>
      }
    >
      <form
        className="console-row"
        style={{ marginBottom: 12, alignItems: 'flex-end' }}
        onSubmit={(e) => {
          e.preventDefault();
          apply(status ?? '', typed);
        }}
      >
        <div className="console-field">
          <label htmlFor="filter-status">Status</label>
          <select id="filter-status" value={status ?? ''} onChange={(e) => apply(e.target.value, typed)} style={{ height: 36 }}>
            <option value="">All statuses</option>
            {tenantStatuses.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s as TenantStatus)}
              </option>
            ))}
          </select>
        </div>
        <div className="console-field">
          <label htmlFor="filter-q">Name or Procore company ID</label>
          <Input id="filter-q" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </div>
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>
      <ErrorNotice error={list.error} />
      {list.loading && !list.data ? (
        <Spinner label="Loading tenants…" loading />
      ) : (
        <DataTable
          label="Tenants"
          columns={COLUMNS}
          rows={tenants}
          rowKey={(t) => t.id}
          rowAttrs={(t) => ({ 'data-tenant': t.procoreCompanyId })}
          empty="No tenants match these filters."
          scroll
        />
      )}
    </Section>
  );
}
