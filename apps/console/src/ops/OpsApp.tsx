import { Button, Spinner, Tabs } from '@procore/core-react';
import { OpsSession } from '@mycoi/contracts';
import { api } from '../api';
import { navigate, useLocation } from '../router';
import { useResource } from '../useResource';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Shell } from '../ui/Shell';
import { Login } from './Login';
import { TenantList } from './TenantList';
import { TenantDetail } from './TenantDetail';
import { OutboxView } from './OutboxView';

/** myCOI ops console (lazy chunk): login, tenant list, tenant detail, demo outbox. */
export default function OpsApp() {
  const { path, query } = useLocation();
  const me = useResource('ops-me', async () => {
    try {
      return await api('GET', '/api/ops/me', OpsSession);
    } catch (err) {
      if ((err as { status?: number }).status === 401) return null;
      throw err;
    }
  });
  const logout = async () => {
    await api('POST', '/api/ops/logout', null).catch(() => undefined);
    await me.reload();
  };
  const tenantId = /^\/console\/ops\/tenants\/([^/]+)$/.exec(path)?.[1];
  const onOutbox = path === '/console/ops/outbox';
  const signedIn = Boolean(me.data);

  return (
    <Shell
      title="myCOI for Procore — Ops"
      actions={
        me.data ? (
          <span className="console-row">
            <span>{me.data.email}</span>
            <Button variant="secondary" onClick={logout}>
              Log out
            </Button>
          </span>
        ) : undefined
      }
      tabs={
        signedIn ? (
          <Tabs>
            <Tabs.Tab role="button" active={!onOutbox} onPress={() => navigate('/console/ops')}>
              Tenants
            </Tabs.Tab>
            <Tabs.Tab role="button" active={onOutbox} onPress={() => navigate('/console/ops/outbox')}>
              Outbox
            </Tabs.Tab>
          </Tabs>
        ) : undefined
      }
    >
      {me.data === undefined ? (
        me.error ? (
          <ErrorNotice error={me.error} />
        ) : (
          <Spinner label="Checking your session…" loading centered />
        )
      ) : me.data === null ? (
        <Login onLoggedIn={(s) => me.set(s)} />
      ) : onOutbox ? (
        <OutboxView />
      ) : tenantId ? (
        <TenantDetail id={decodeURIComponent(tenantId)} onUnauthorized={me.reload} />
      ) : (
        <TenantList status={query.get('status')} q={query.get('q')} onUnauthorized={me.reload} />
      )}
    </Shell>
  );
}
