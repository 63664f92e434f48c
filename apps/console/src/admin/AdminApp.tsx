import { lazy, Suspense } from 'react';
import { Button, Spinner } from '@procore/core-react';
import { AdminSession } from '@mycoi/contracts';
import { api } from '../api';
import { useLocation } from '../router';
import { useResource } from '../useResource';
import { Shell } from '../ui/Shell';
import { ErrorNotice } from '../ui/ErrorNotice';
import { SignIn } from './SignIn';

// Setup uses core-react's Form (formik + react-aria): loaded after sign-in, not on the sign-in page.
const AdminSetup = lazy(() => import('./AdminSetup'));

/**
 * Customer side. Procore's post-install link lands here with `?companyId=…`; until the admin has
 * signed in with Procore (and the API has verified membership of that company) only the sign-in
 * card is shown.
 */
export function AdminApp() {
  const { query } = useLocation();
  const companyId = query.get('companyId')?.trim() ?? '';
  const oauthError = query.get('error');
  const session = useResource('admin-session', async () => {
    try {
      return await api('GET', '/api/admin/session', AdminSession);
    } catch (err) {
      if ((err as { status?: number }).status === 401) return null;
      throw err;
    }
  });

  const signOut = async () => {
    await api('POST', '/api/admin/logout', null).catch(() => undefined);
    await session.reload();
  };

  const user = session.data?.user;
  return (
    <Shell
      title="myCOI for Procore — Setup"
      actions={
        user ? (
          <span className="console-row">
            <span>
              Signed in as <strong>{user.name ?? user.login}</strong>
            </span>
            <Button variant="secondary" onClick={signOut}>
              Sign out
            </Button>
          </span>
        ) : undefined
      }
    >
      {session.loading && session.data === undefined ? (
        <Spinner label="Checking your sign-in…" loading centered />
      ) : session.error ? (
        <ErrorNotice error={session.error} />
      ) : !session.data ? (
        <SignIn companyId={companyId} oauthError={oauthError} />
      ) : !companyId ? (
        <SignIn companyId="" oauthError={null} signedIn />
      ) : (
        <Suspense fallback={<Spinner label="Loading setup…" loading centered />}>
          <AdminSetup companyId={companyId} session={session.data} oauthError={oauthError} />
        </Suspense>
      )}
    </Shell>
  );
}
