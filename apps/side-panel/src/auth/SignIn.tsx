import { useRef, useState } from 'react';
import { Button, H2, Input, P } from '@procore/core-react';
import { initialize } from '@procore/procore-iframe-helpers';
import type { PanelSession } from '@mycoi/contracts';
import { api, ApiError } from '../api';
import { ErrorNotice } from '../ui/States';

interface Props {
  companyId: string;
  projectId: string;
  onSignedIn: (s: PanelSession) => void;
}

interface Grant {
  grant: string;
  name: string;
}

/**
 * Two sign-ins, one after the other: Procore (popup, authorization code flow — Procore's login
 * page refuses to render inside an iframe) proves who the Procore user is; myCOI proves the
 * person may act in the company's myCOI account. The API joins both into one panel session.
 */
export function SignIn({ companyId, projectId, onSignedIn }: Props) {
  const [grant, setGrant] = useState<Grant | null>(null);
  const [popupOpen, setPopupOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submitting = useRef(false);

  const signInProcore = () => {
    setError(null);
    setPopupOpen(true);
    const ctx = initialize();
    ctx.authentication.authenticate({
      url: `/api/panel/auth/procore/start?companyId=${encodeURIComponent(companyId)}`,
      onSuccess: (payload: unknown) => {
        setPopupOpen(false);
        const p = payload as Partial<Grant & { error: string; message: string }>;
        if (typeof p?.grant === 'string') setGrant({ grant: p.grant, name: String(p.name ?? '') });
        else setError(new ApiError(401, p?.error ?? 'procore_sign_in_failed', p?.message ?? 'Procore sign-in did not complete'));
      },
      onFailure: (e: unknown) => {
        setPopupOpen(false);
        const f = e as { type?: string; message?: string; error?: string } | null;
        setError(
          f?.type === 'canceled_by_user'
            ? new ApiError(0, 'canceled', 'The Procore sign-in window was closed before signing in.')
            : new ApiError(401, f?.error ?? 'procore_sign_in_failed', f?.message ?? 'Procore sign-in did not complete'),
        );
      },
    });
  };

  const signInMycoi = async () => {
    if (!grant || submitting.current) return;
    submitting.current = true;
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.signIn({ grant: grant.grant, companyId, projectId, email, password }));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'procore_sign_in_expired') setGrant(null);
      setError(err);
    } finally {
      submitting.current = false;
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="signin-title" className="panel-section">
      <H2 id="signin-title">Sign in to myCOI</H2>
      <ol className="panel-steps">
        <li aria-current={grant ? undefined : 'step'}>
          <strong>1. Procore</strong>
          {grant ? (
            <P data-testid="procore-signed-in">Signed in to Procore as {grant.name}.</P>
          ) : (
            <>
              <P>Confirm who you are in Procore. A Procore window opens.</P>
              <Button variant="primary" onClick={signInProcore} loading={popupOpen} disabled={popupOpen}>
                Sign in with Procore
              </Button>
            </>
          )}
        </li>
        <li aria-current={grant ? 'step' : undefined}>
          <strong>2. myCOI</strong>
          <form
            aria-label="myCOI sign-in"
            onSubmit={(e) => {
              e.preventDefault();
              void signInMycoi();
            }}
          >
            <fieldset disabled={!grant || busy} className="panel-fieldset">
              <label htmlFor="mycoi-email">myCOI email</label>
              <Input
                id="mycoi-email"
                type="email"
                autoComplete="username"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                required
              />
              <label htmlFor="mycoi-password">myCOI password</label>
              <Input
                id="mycoi-password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
              />
              <Button type="submit" variant="primary" loading={busy} disabled={!grant || busy}>
                Sign in to myCOI
              </Button>
            </fieldset>
          </form>
        </li>
      </ol>
      {error ? <ErrorNotice error={error} /> : null}
    </section>
  );
}
