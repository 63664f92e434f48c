import { useEffect, useRef } from 'react';
import { Button, Pill, Spinner, Table, type PillColor } from '@procore/core-react';
import { TenantEventsSummary, type EventCounts, type RecentEvent, type UnparsedDelivery } from '@mycoi/contracts';
import { api } from '../api';
import { useResource } from '../useResource';
import { ErrorNotice } from '../ui/ErrorNotice';
import { DataTable, type Column } from '../ui/DataTable';
import { Section } from '../ui/Section';
import { when } from '../ui/format';

// What ops need to answer "did the change reach Procore, and how fast": counts per outcome and
// source, what is still waiting, the newest events, and event → Procore-write latency (24 h).

const COUNTS: { key: keyof EventCounts; label: string; hint: string }[] = [
  { key: 'received', label: 'Received', hint: 'accepted and stored' },
  { key: 'deduplicated', label: 'Deduplicated', hint: 'a retry of an event already stored' },
  { key: 'rejected', label: 'Rejected', hint: 'bad secret or signature (refused, nothing stored)' },
  {
    key: 'unparsed',
    label: 'Unparsed (kept)',
    hint: 'authenticated but of a shape we cannot read: stored below and acknowledged so the sender keeps delivering',
  },
  { key: 'dropped_inactive', label: 'Dropped (tenant inactive)', hint: 'arrived while the tenant was not active' },
  { key: 'ignored_own', label: 'Ignored (own change)', hint: 'caused by our own service account' },
  { key: 'handled', label: 'Handled', hint: 'written through to the other side' },
  { key: 'failed', label: 'Failed', hint: 'gave up after retries' },
];

const STATUS_COLOR: Record<string, PillColor> = { handled: 'green', pending: 'yellow', processing: 'blue', failed: 'red' };
const SOURCE_LABEL: Record<RecentEvent['source'], string> = { procore: 'Procore', mycoi: 'myCOI' };

const ms = (v: number | null) => (v === null ? '—' : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`);

type CountRow = (typeof COUNTS)[number];

function Counts({ s }: { s: TenantEventsSummary }) {
  const columns: Column<CountRow>[] = [
    { header: 'Outcome', cell: ({ label, hint }) => <Table.TextCell title={hint}>{label}</Table.TextCell>, raw: true },
    { header: 'Procore', cell: ({ key }) => s.counters.procore[key] },
    { header: 'myCOI', cell: ({ key }) => s.counters.mycoi[key] },
    {
      header: 'Total',
      cell: ({ key }) => (
        <Table.TextCell data-testid={`events-${key}-total`}>{s.counters.procore[key] + s.counters.mycoi[key]}</Table.TextCell>
      ),
      raw: true,
    },
  ];
  return (
    <DataTable label="Event counts" columns={columns} rows={COUNTS} rowKey={(c) => c.key} rowAttrs={(c) => ({ 'data-count': c.key })} />
  );
}

const RECENT_COLUMNS: Column<RecentEvent>[] = [
  { header: 'Received', cell: (e) => when(e.receivedAt), style: { whiteSpace: 'nowrap' } },
  { header: 'Source', cell: (e) => SOURCE_LABEL[e.source] },
  { header: 'Type', cell: (e) => e.type },
  { header: 'Subject', cell: (e) => e.subject, style: { wordBreak: 'break-word' } },
  {
    header: 'Status',
    cell: (e) => (
      <>
        <Pill color={STATUS_COLOR[e.status] ?? 'gray'}>{e.status}</Pill>
        {e.outcome && <span className="console-hint"> {e.outcome}</span>}
      </>
    ),
  },
  { header: 'To Procore', cell: (e) => ms(e.latencyMs) },
];

function Recent({ events }: { events: RecentEvent[] }) {
  return (
    <DataTable
      label="Recent events"
      columns={RECENT_COLUMNS}
      rows={events}
      rowKey={(e) => `${e.source}:${e.eventId}`}
      rowAttrs={(e) => ({ 'data-event-source': e.source, 'data-event-status': e.status })}
      empty="No events received yet."
      scroll
    />
  );
}

const UNPARSED_COLUMNS: Column<UnparsedDelivery>[] = [
  { header: 'Last received', cell: (u) => when(u.lastReceivedAt), style: { whiteSpace: 'nowrap' } },
  { header: 'Source', cell: (u) => SOURCE_LABEL[u.source] },
  { header: 'Times', cell: (u) => u.deliveries },
  { header: 'Why', cell: (u) => u.reason, style: { wordBreak: 'break-word' } },
  {
    header: 'Body',
    cell: (u) => (
      <code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}>
        {u.body}
        {u.truncated && ` … (${u.sizeBytes} bytes)`}
      </code>
    ),
  },
];

function Unparsed({ items }: { items: UnparsedDelivery[] }) {
  return (
    <DataTable
      label="Unparsed deliveries"
      columns={UNPARSED_COLUMNS}
      rows={items}
      rowKey={(u) => `${u.source}:${u.firstReceivedAt}:${u.sizeBytes}`}
      rowAttrs={(u) => ({ 'data-unparsed-source': u.source })}
      empty="None: every authenticated delivery was understood."
      scroll
    />
  );
}

/** While an active tenant's hook is not registered yet (activation registers it in the background), re-read this often, this many times. */
const HOOK_POLL_MS = 2_000;
const HOOK_POLL_TRIES = 15;

export function EventsSection({ tenantId, tenantStatus }: { tenantId: string; tenantStatus: string }) {
  const path = `/api/ops/tenants/${encodeURIComponent(tenantId)}/events`;
  const events = useResource(path, () => api('GET', path, TenantEventsSummary));
  const s = events.data;
  const { reload } = events;
  // activation (or resume) registers the Procore webhook: show it without a page reload
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    void reload();
  }, [tenantStatus, reload]);
  const waitingForHook = tenantStatus === 'active' && s !== undefined && s.hook?.state !== 'registered';
  useEffect(() => {
    if (!waitingForHook) return;
    let tries = 0;
    const timer = setInterval(() => {
      if (++tries > HOOK_POLL_TRIES) clearInterval(timer);
      else void reload();
    }, HOOK_POLL_MS);
    return () => clearInterval(timer);
  }, [waitingForHook, reload]);
  return (
    <Section
      id="events"
      title="Events"
      actions={
        <Button variant="tertiary" onClick={() => void events.reload()} loading={events.loading && !!s}>
          Refresh
        </Button>
      }
    >
      <ErrorNotice error={events.error} />
      {!s ? (
        !events.error && <Spinner label="Loading events…" loading />
      ) : (
        <>
          <dl className="console-dl">
            <dt>Procore webhook</dt>
            <dd data-testid="events-hook">
              {s.hook
                ? `${s.hook.state} · ${s.hook.triggerCount} triggers · registered ${when(s.hook.registeredAt)}`
                : tenantStatus === 'active'
                  ? 'Being registered…'
                  : 'Not registered (tenant never activated)'}
              {s.hook?.lastError && <span className="console-hint"> · last error: {s.hook.lastError}</span>}
            </dd>
            {s.hook && s.hook.missingTriggers.length > 0 && (
              <>
                <dt>Missing triggers</dt>
                <dd data-testid="events-missing-triggers">
                  <Pill color="red">events missing</Pill> {s.hook.missingTriggers.map((t) => t.replace('|', ' ')).join(', ')}
                  <span className="console-hint"> · retried automatically; the two-hourly sync still covers these records</span>
                </dd>
              </>
            )}
            <dt>Pending</dt>
            <dd data-testid="events-pending">{s.pending}</dd>
            <dt>Failed (stored)</dt>
            <dd>{s.failed}</dd>
            <dt>Event → Procore write (24 h)</dt>
            <dd data-testid="events-latency">
              {s.latency.samples === 0
                ? 'No writes yet'
                : `median ${ms(s.latency.p50Ms)} · p95 ${ms(s.latency.p95Ms)} · max ${ms(s.latency.maxMs)} · ${s.latency.samples} events`}
            </dd>
          </dl>
          <Counts s={s} />
          <h3 style={{ margin: '16px 0 8px', fontSize: 16 }}>Last events</h3>
          <Recent events={s.recent} />
          <h3 style={{ margin: '16px 0 8px', fontSize: 16 }}>Deliveries we could not read</h3>
          <Unparsed items={s.unparsed} />
        </>
      )}
    </Section>
  );
}
