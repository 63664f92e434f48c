import { useCallback, useEffect, useRef, useState } from 'react';
import { Button } from '@procore/core-react';
import type { PanelConfig, PanelSession, PanelStatus } from '@mycoi/contracts';
import { api, keepSession, onSessionExpired, setToken, storedSession } from './api';
import { SignIn } from './auth/SignIn';
import { connect, embedding, type Embedding, type ProcoreContext } from './procore/handshake';
import { RecordView } from './record/RecordView';
import { ErrorNotice, Loading, Notice } from './ui/States';

const HANDSHAKE_TIMEOUT_MS = 5_000;
const VIEWS: Record<string, 'commitment' | 'vendor'> = {
  'commitments.work_order_contracts.detail': 'commitment',
  'commitments.purchase_order_contracts.detail': 'commitment',
  'project_directory.vendors.edit': 'vendor',
};

/** companyId / projectId from Procore's URL interpolation (procore-app/manifest.json source_url). */
function urlIds(): { companyId: string | null; projectId: string | null } {
  const q = new URLSearchParams(window.location.search);
  const ok = (v: string | null) => (v && /^\d{1,20}$/.test(v) ? v : null);
  return { companyId: ok(q.get('companyId')), projectId: ok(q.get('projectId')) };
}

export function App() {
  const [config, setConfig] = useState<PanelConfig | null>(null);
  const [bootError, setBootError] = useState<unknown>(null);
  const [embed, setEmbed] = useState<Embedding | null>(null);
  const [context, setContext] = useState<ProcoreContext | null>(null);
  const [timedOut, setTimedOut] = useState(false);
  const [status, setStatus] = useState<PanelStatus | null>(null);
  const [statusError, setStatusError] = useState<unknown>(null);
  const [session, setSession] = useState<PanelSession | null>(null);
  /** A kept session is being checked with the server (on load): no sign-in form meanwhile. */
  const [restoring, setRestoring] = useState(false);
  const restoreTried = useRef(false);
  const [destroyed, setDestroyed] = useState(false);
  const [visibleTick, setVisibleTick] = useState(0);
  const handshake = useRef<{ stop: () => void; initialize: () => void } | null>(null);
  const ids = urlIds();

  const loadConfig = useCallback(() => {
    setBootError(null);
    api.config().then(setConfig, setBootError);
  }, []);
  useEffect(loadConfig, [loadConfig]);

  useEffect(() => {
    if (!config) return;
    const e = embedding(config.frameAncestors);
    setEmbed(e);
    if (e.kind !== 'procore') return;
    const timer = window.setTimeout(() => setTimedOut(true), HANDSHAKE_TIMEOUT_MS);
    handshake.current = connect(e.origin, (ev) => {
      if (ev.type === 'setup') {
        window.clearTimeout(timer);
        setTimedOut(false);
        setContext(ev.context);
      } else if (ev.type === 'visible') setVisibleTick((n) => n + 1);
      else if (ev.type === 'destroy') {
        // Procore closed the panel: end the session now rather than leaving it to expire.
        api.signOut().catch(() => undefined);
        setToken(null);
        setSession(null);
        setDestroyed(true);
      }
    });
    return () => {
      window.clearTimeout(timer);
      handshake.current?.stop();
    };
  }, [config]);

  const companyId = context?.companyId ?? ids.companyId;
  const loadStatus = useCallback(() => {
    if (!companyId) return;
    setStatusError(null);
    api.status(companyId).then(setStatus, setStatusError);
  }, [companyId]);
  // Asked as soon as the company is known (from the iframe URL), in parallel with the handshake.
  useEffect(loadStatus, [loadStatus]);

  useEffect(() => {
    onSessionExpired(() => setSession(null));
    return () => onSessionExpired(null);
  }, []);

  const signedIn = (s: PanelSession) => {
    if (context) keepSession(context.companyId, s);
    else setToken(s.token);
    setSession(s);
  };

  // A sign-in kept from an earlier page load of this tab: ask the server whether it still stands
  // (expired, revoked or the tenant suspended → 401 and the sign-in form, as before).
  const ready = status?.state === 'ready';
  const contextCompany = context?.companyId;
  useEffect(() => {
    if (!ready || !contextCompany || session || restoreTried.current) return;
    restoreTried.current = true;
    const kept = storedSession(contextCompany);
    if (!kept) return;
    setToken(kept.token);
    setRestoring(true);
    api
      .restore()
      .then((s) => {
        keepSession(contextCompany, s);
        setSession(s);
      })
      .catch(() => setToken(null))
      .finally(() => setRestoring(false));
  }, [ready, contextCompany, session]);

  // Renew while the panel is open, well before expiry; the server slides expiry by its idle window
  // up to the myCOI sign-in's own lifetime, then the panel asks to sign in again.
  useEffect(() => {
    if (!session || !contextCompany) return;
    const left = new Date(session.expiresAt).getTime() - Date.now();
    const delay = Math.min(10 * 60_000, Math.max(15_000, left / 2));
    const timer = window.setTimeout(() => {
      api.renew().then(
        (s) => {
          if (s.expiresAt === session.expiresAt) return; // at the myCOI sign-in's limit: nothing more to renew
          keepSession(contextCompany, s);
          setSession(s);
        },
        () => undefined, // a 401 already signed the panel out (onSessionExpired); other errors: the next call tells
      );
    }, delay);
    return () => window.clearTimeout(timer);
  }, [session, contextCompany]);
  const signOut = () => {
    api.signOut().catch(() => undefined);
    setToken(null);
    setSession(null);
  };

  let body;
  if (bootError) body = <ErrorNotice error={bootError} onRetry={loadConfig} title="The myCOI panel could not start" />;
  else if (!config || !embed) body = <Loading label="Loading myCOI…" />;
  else if (embed.kind !== 'procore') {
    body = (
      <Notice title="Open this panel from Procore" testId="outside-procore">
        The myCOI panel works inside Procore, docked beside a subcontract, purchase order or Project Directory vendor. Open one in Procore
        and choose myCOI in the side panel.
        {embed.kind === 'untrusted' ? <div>This page ({embed.origin}) is not a Procore page.</div> : null}
      </Notice>
    );
  } else if (destroyed)
    body = (
      <Notice title="Panel closed" testId="panel-closed">
        Reopen myCOI from Procore’s side panel.
      </Notice>
    );
  else if (!context) {
    body = timedOut ? (
      <ErrorNotice
        error={new Error('Procore did not tell the panel which record is open.')}
        title="Waiting for Procore"
        onRetry={() => {
          setTimedOut(false);
          handshake.current?.initialize();
        }}
      />
    ) : (
      <Loading label="Connecting to Procore…" />
    );
  } else if (ids.companyId && ids.companyId !== context.companyId) {
    body = (
      <Notice title="Company mismatch" testId="company-mismatch">
        This panel was opened for another Procore company. Reload the page in Procore.
      </Notice>
    );
  } else if (!VIEWS[context.view] || !config.views.includes(context.view)) {
    body = (
      <Notice title="Nothing to show here" testId="unsupported-view">
        myCOI works on subcontracts, purchase orders and Project Directory vendors.
      </Notice>
    );
  } else if (statusError) body = <ErrorNotice error={statusError} onRetry={loadStatus} />;
  else if (!status) body = <Loading label="Checking your company’s myCOI setup…" />;
  else if (status.state !== 'ready') {
    const titles = {
      unknown_tenant: 'myCOI is not set up for this company',
      not_active: 'myCOI is not active yet',
      feature_off: 'The myCOI side panel is turned off',
    };
    const next = {
      unknown_tenant: 'A Procore admin can register the company in the myCOI console.',
      not_active: 'myCOI activates the integration after the setup is complete. Contact your myCOI account manager if this takes long.',
      feature_off: 'A Procore admin can turn the side panel on in the myCOI console.',
    };
    body = (
      <Notice title={titles[status.state]} testId={`tenant-${status.state}`}>
        {status.message}. {next[status.state]}
      </Notice>
    );
  } else if (restoring || (!session && !restoreTried.current && storedSession(context.companyId) !== null)) {
    // a kept sign-in is being checked (or about to be, this render): no sign-in form flashes meanwhile
    body = <Loading label="Restoring your sign-in…" />;
  } else if (!session) body = <SignIn companyId={context.companyId} projectId={context.projectId} onSignedIn={signedIn} />;
  else {
    body = (
      <>
        <div className="panel-user">
          <span data-testid="signed-in-as">
            {session.procoreUser.name ?? session.procoreUser.login} · myCOI {session.mycoiUser.email}
          </span>
          <Button variant="tertiary" size="sm" onClick={signOut}>
            Sign out
          </Button>
        </div>
        <RecordView view={VIEWS[context.view]!} id={context.id} projectId={context.projectId} reloadSignal={visibleTick} />
      </>
    );
  }

  return (
    <main className="panel" aria-label="myCOI side panel">
      <header className="panel-header">
        <span className="panel-logo" aria-hidden="true">
          my<b>COI</b>
        </span>
        <span className="panel-title">Insurance compliance</span>
      </header>
      {body}
    </main>
  );
}
