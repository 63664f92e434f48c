import { Button, Pill, Spinner, Table, type PillColor } from '@procore/core-react';
import { TenantEventsSummary, type EventCounts, type RecentEvent } from '@mycoi/contracts';
import { api } from '../api';
import { useResource } from '../useResource';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Section } from '../ui/Section';
import { when } from '../ui/format';

// What ops need to answer "did the change reach Procore, and how fast": counts per outcome and
// source, what is still waiting, the newest events, and event → Procore-write latency (24 h).

const COUNTS: { key: keyof EventCounts; label: string; hint: string }[] = [
  { key: 'received', label: 'Received', hint: 'accepted and stored' },
  { key: 'deduplicated', label: 'Deduplicated', hint: 'a retry of an event already stored' },
  { key: 'rejected', label: 'Rejected', hint: 'bad secret, signature or body' },
  { key: 'dropped_inactive', label: 'Dropped (tenant inactive)', hint: 'arrived while the tenant was not active' },
  { key: 'ignored_own', label: 'Ignored (own change)', hint: 'caused by our own service account' },
  { key: 'handled', label: 'Handled', hint: 'written through to the other side' },
  { key: 'failed', label: 'Failed', hint: 'gave up after retries' },
];

const STATUS_COLOR: Record<string, PillColor> = { handled: 'green', pending: 'yellow', processing: 'blue', failed: 'red' };
const SOURCE_LABEL: Record<RecentEvent['source'], string> = { procore: 'Procore', mycoi: 'myCOI' };

const ms = (v: number | null) => (v === null ? '—' : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`);

function Counts({ s }: { s: TenantEventsSummary }) {
  return (
    <Table.Container>
      <Table aria-label="Event counts">
        <Table.Header>
          <Table.HeaderRow>
            <Table.HeaderCell>Outcome</Table.HeaderCell>
            <Table.HeaderCell>Procore</Table.HeaderCell>
            <Table.HeaderCell>myCOI</Table.HeaderCell>
            <Table.HeaderCell>Total</Table.HeaderCell>
          </Table.HeaderRow>
        </Table.Header>
        <Table.Body>
          {COUNTS.map(({ key, label, hint }) => (
            <Table.BodyRow key={key} data-count={key}>
              <Table.BodyCell>
                <Table.TextCell title={hint}>{label}</Table.TextCell>
              </Table.BodyCell>
              <Table.BodyCell>
                <Table.TextCell>{s.counters.procore[key]}</Table.TextCell>
              </Table.BodyCell>
              <Table.BodyCell>
                <Table.TextCell>{s.counters.mycoi[key]}</Table.TextCell>
              </Table.BodyCell>
              <Table.BodyCell>
                <Table.TextCell data-testid={`events-${key}-total`}>{s.counters.procore[key] + s.counters.mycoi[key]}</Table.TextCell>
              </Table.BodyCell>
            </Table.BodyRow>
          ))}
        </Table.Body>
      </Table>
    </Table.Container>
  );
}

function Recent({ events }: { events: RecentEvent[] }) {
  if (events.length === 0) return <p>No events received yet.</p>;
  return (
    <div style={{ overflowX: 'auto', maxWidth: '100%' }}>
      <Table.Container>
        <Table aria-label="Recent events">
          <Table.Header>
            <Table.HeaderRow>
              <Table.HeaderCell>Received</Table.HeaderCell>
              <Table.HeaderCell>Source</Table.HeaderCell>
              <Table.HeaderCell>Type</Table.HeaderCell>
              <Table.HeaderCell>Subject</Table.HeaderCell>
              <Table.HeaderCell>Status</Table.HeaderCell>
              <Table.HeaderCell>To Procore</Table.HeaderCell>
            </Table.HeaderRow>
          </Table.Header>
          <Table.Body>
            {events.map((e) => (
              <Table.BodyRow key={`${e.source}:${e.eventId}`} data-event-source={e.source} data-event-status={e.status}>
                <Table.BodyCell>
                  <Table.TextCell style={{ whiteSpace: 'nowrap' }}>{when(e.receivedAt)}</Table.TextCell>
                </Table.BodyCell>
                <Table.BodyCell>
                  <Table.TextCell>{SOURCE_LABEL[e.source]}</Table.TextCell>
                </Table.BodyCell>
                <Table.BodyCell>
                  <Table.TextCell>{e.type}</Table.TextCell>
                </Table.BodyCell>
                <Table.BodyCell>
                  <Table.TextCell style={{ wordBreak: 'break-word' }}>{e.subject}</Table.TextCell>
                </Table.BodyCell>
                <Table.BodyCell>
                  <Table.TextCell>
                    <Pill color={STATUS_COLOR[e.status] ?? 'gray'}>{e.status}</Pill>
                    {e.outcome && <span className="console-hint"> {e.outcome}</span>}
                  </Table.TextCell>
                </Table.BodyCell>
                <Table.BodyCell>
                  <Table.TextCell>{ms(e.latencyMs)}</Table.TextCell>
                </Table.BodyCell>
              </Table.BodyRow>
            ))}
          </Table.Body>
        </Table>
      </Table.Container>
    </div>
  );
}

export function EventsSection({ tenantId }: { tenantId: string }) {
  const path = `/api/ops/tenants/${encodeURIComponent(tenantId)}/events`;
  const events = useResource(path, () => api('GET', path, TenantEventsSummary));
  const s = events.data;
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
              {s.hook ? `${s.hook.state} · ${s.hook.triggerCount} triggers · registered ${when(s.hook.registeredAt)}` : 'Not registered (tenant never activated)'}
              {s.hook?.lastError && <span className="console-hint"> · last error: {s.hook.lastError}</span>}
            </dd>
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
        </>
      )}
    </Section>
  );
}
