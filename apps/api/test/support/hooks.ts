import { createTenantClientRegistry } from '../../src/clients/tenant-clients';
import { HOOK_NAMESPACE, HookManager } from '@mycoi/events';
import type { TestServer } from './server';

/**
 * A second HookManager on the test server's database, with its own tenant clients: what another
 * instance's repair pass would be, so a test can run a pass (or an ensure) when it wants to.
 */
export function otherInstanceHooks(ts: TestServer): HookManager {
  const pool = ts.running.db.pool;
  return new HookManager({
    pool,
    clients: createTenantClientRegistry({
      pool,
      ring: ts.running.config.encryption,
      procoreLoginUrl: ts.procore.url,
      procoreApiUrl: ts.procore.url,
      mycoiApiUrl: ts.mycoi.url,
    }),
    publicUrl: () => ts.url,
    namespace: HOOK_NAMESPACE,
  });
}
