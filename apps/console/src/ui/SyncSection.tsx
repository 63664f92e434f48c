import { useEffect, useRef, useState } from 'react';
import { AttentionBanner, Banner, Button, ErrorBanner, InfoBanner, Spinner, SuccessBanner } from '@procore/core-react';
import { SyncHistory, SyncNowResponse, type SyncRun } from '@mycoi/contracts';
import { api, asFailure, type ApiFailure } from '../api';
import { useResource } from '../useResource';
import { DataTable, type Column } from './DataTable';
import { ErrorNotice } from './ErrorNotice';
import { Section } from './Section';
import { when } from './format';

/** How often the page re-reads the history while a run is queued or running. */
const POLL_MS = 3_000;

const KIND: Record<SyncRun['kind'], string> = {
  push: 'Compliance push',
  upkeep: 'Directory check',
  targeted: 'Event update',
  hooks: 'Procore webhook setup',
};
const TRIGGER: Record<SyncRun['trigger'], string> = {
  schedule: 'Schedule',
  manual: 'Manual (Sync now, activation)',
  event: 'Change event',
  resume: 'Resumed',
};
const STATUS: Record<SyncRun['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  stopped: 'Stopped',
};

function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}

/** Errors of a run that otherwise finished (e.g. one scope Procore refused): the first one in words. */
function rowErrors(r: SyncRun): string {
  const own = r.errors.filter((e) => e.code !== 'run_failed');
  if (own.length === 0) return '';
  const first = own[0]!.message.length > 160 ? `${own[0]!.message.slice(0, 157)}…` : own[0]!.message;
  return ` · ${own.length === 1 ? '1 error' : `${own.length}${own.length >= 5 ? '+' : ''} errors`}: ${first}`;
}

const COLUMNS: Column<SyncRun>[] = [
  { header: 'Run', cell: (r) => KIND[r.kind] },
  { header: 'Trigger', cell: (r) => TRIGGER[r.trigger] },
  { header: 'Started', cell: (r) => when(r.startedAt ?? r.runAfter) },
  { header: 'Duration', cell: (r) => duration(r.durationMs) },
  { header: 'Result', cell: (r) => `${r.outcomeText ? `${STATUS[r.status]} — ${r.outcomeText}` : STATUS[r.status]}${rowErrors(r)}` },
  { header: 'Procore calls / writes', cell: (r) => `${r.procoreCalls} / ${r.procoreWrites}` },
  {
    header: 'Rows created / updated / deleted / failed',
    cell: (r) => `${r.rows.created} / ${r.rows.updated} / ${r.rows.deleted} / ${r.rows.failed}`,
  },
  { header: 'Rate-limit waits', cell: (r) => String(r.rateLimitWaits) },
];

/**
 * The sync page of one tenant, shared by the customer console (`base` = /api/admin/companies/:id)
 * and the ops console (`base` = /api/ops/tenants/:id): state, last and next run, current problems
 * with their fix, the recent runs, and a bounded "Sync now" whose answer is shown as the API gave it.
 */
export function SyncSection({ base, refreshKey, onUnauthorized }: { base: string; refreshKey?: string; onUnauthorized?: () => void }) {
  const [before, setBefore] = useState<number[]>([]); // stack of page cursors; empty = newest page
  const cursor = before[before.length - 1];
  const url = `${base}/sync${cursor ? `?before=${cursor}` : ''}`;
  const history = useResource(url, () => api('GET', url, SyncHistory));
  const { reload } = history;
  const [answer, setAnswer] = useState<SyncNowResponse>();
  const [error, setError] = useState<ApiFailure>();
  const [busy, setBusy] = useState(false);

  // the tenant changed (activated, suspended, settings): its sync state may have too
  const seenKey = useRef(refreshKey);
  useEffect(() => {
    if (seenKey.current === refreshKey) return;
    seenKey.current = refreshKey;
    void reload();
  }, [refreshKey, reload]);

  const inProgress = history.data?.inProgress ?? false;
  useEffect(() => {
    if (!inProgress) return;
    const timer = setInterval(() => void reload(), POLL_MS);
    return () => clearInterval(timer);
  }, [inProgress, reload]);
  // "Sync queued" answers the click; once those runs are done the runs table tells the rest
  const queuedDone =
    answer?.outcome === 'queued' &&
    history.data !== undefined &&
    !history.data.inProgress &&
    answer.runIds.every((id) => history.data!.runs.some((r) => r.id === id && r.finishedAt !== null));
  useEffect(() => {
    if (queuedDone) setAnswer(undefined);
  }, [queuedDone]);
  useEffect(() => {
    if (history.error?.status === 401) onUnauthorized?.();
  }, [history.error, onUnauthorized]);

  const syncNow = async () => {
    setBusy(true);
    setError(undefined);
    setAnswer(undefined);
    try {
      setAnswer(await api('POST', `${base}/sync-now`, SyncNowResponse));
      await history.reload();
    } catch (err) {
      setError(asFailure(err));
    } finally {
      setBusy(false);
    }
  };

  const h = history.data;
  const AnswerBanner = answer?.outcome === 'queued' ? SuccessBanner : answer?.outcome === 'blocked' ? AttentionBanner : InfoBanner;
  return (
    <Section
      id="sync"
      title="Sync"
      actions={
        <span className="console-row">
          <Button variant="tertiary" onClick={() => void history.reload()} loading={history.loading && !!h}>
            Refresh
          </Button>
          <Button
            variant="primary"
            onClick={() => void syncNow()}
            loading={busy}
            disabled={busy || !h || !h.syncNow.allowed}
            title={h?.syncNow.message ?? undefined}
          >
            Sync now
          </Button>
        </span>
      }
    >
      <ErrorNotice error={error} title="Sync now did not go through" />
      {answer && (
        <AnswerBanner role="status" data-testid="sync-now-answer" data-outcome={answer.outcome} style={{ marginBottom: 12 }}>
          <Banner.Content>
            <Banner.Title>
              {answer.outcome === 'queued' ? 'Sync queued' : answer.outcome === 'already_queued' ? 'Already queued' : 'Cannot sync now'}
            </Banner.Title>
            <Banner.Body>{answer.message}</Banner.Body>
          </Banner.Content>
        </AnswerBanner>
      )}
      <ErrorNotice error={history.error} />
      {!h ? (
        !history.error && <Spinner label="Loading sync history…" loading />
      ) : (
        <>
          <dl className="console-dl">
            <dt>State</dt>
            <dd data-testid="sync-state" data-state={h.state}>
              {h.stateText}
              {h.inProgress && <Spinner size="sm" loading style={{ marginLeft: 8, display: 'inline-block' }} />}
            </dd>
            <dt>Last run</dt>
            <dd data-testid="sync-last-run">
              {h.lastRun
                ? `${when(h.lastRun.finishedAt)} — ${KIND[h.lastRun.kind]}, ${STATUS[h.lastRun.status].toLowerCase()}`
                : 'None yet'}
            </dd>
            <dt>Last success</dt>
            <dd>{when(h.lastSuccessAt)}</dd>
            <dt>Next run</dt>
            <dd data-testid="sync-next-run">{h.nextRunAt ? when(h.nextRunAt) : 'Not scheduled'}</dd>
            {h.backoffUntil && (
              <>
                <dt>Waiting after failures</dt>
                <dd>
                  {h.consecutiveFailures} failed run(s) in a row; next try {when(h.backoffUntil)}
                </dd>
              </>
            )}
            {!h.syncNow.allowed && h.syncNow.message && (
              <>
                <dt>Sync now</dt>
                <dd data-testid="sync-now-hint">{h.syncNow.message}</dd>
              </>
            )}
          </dl>
          <h3 style={{ fontSize: 16, margin: '16px 0 8px' }}>Problems</h3>
          {h.problems.length === 0 ? (
            <p data-testid="sync-no-problems">No problems: everything the integration needs is in place.</p>
          ) : (
            <div data-testid="sync-problems">
              {h.problems.map((p) => (
                <ErrorBanner key={`${p.kind}:${p.scope}`} data-problem={p.kind} data-scope={p.scope} style={{ marginBottom: 8 }}>
                  <Banner.Content>
                    <Banner.Title>{p.title}</Banner.Title>
                    <Banner.Body>
                      <div>{p.detail}</div>
                      <div>
                        <strong>How to fix: </strong>
                        {p.fix}
                      </div>
                      <small style={{ opacity: 0.75 }}>
                        Seen {p.count} time(s) since {when(p.firstSeenAt)}, last {when(p.lastSeenAt)}
                      </small>
                    </Banner.Body>
                  </Banner.Content>
                </ErrorBanner>
              ))}
            </div>
          )}
          <h3 style={{ fontSize: 16, margin: '16px 0 8px' }}>Recent runs</h3>
          <DataTable
            label="Recent sync runs"
            columns={COLUMNS}
            rows={h.runs}
            rowKey={(r) => r.id}
            rowAttrs={(r) => ({ 'data-run': String(r.id), 'data-kind': r.kind, 'data-status': r.status })}
            empty="No runs yet."
            scroll
          />
          <div className="console-row" style={{ marginTop: 8 }}>
            {before.length > 0 && (
              <Button variant="tertiary" onClick={() => setBefore((b) => b.slice(0, -1))}>
                Newer runs
              </Button>
            )}
            {h.nextBefore !== null && (
              <Button variant="tertiary" onClick={() => setBefore((b) => [...b, h.nextBefore!])}>
                Older runs
              </Button>
            )}
          </div>
        </>
      )}
    </Section>
  );
}
