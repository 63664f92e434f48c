import { createSession, COOKIE } from '../../src/auth/sessions';
import { upsertOpsUser } from '../../src/auth/ops-users';
import { Agent } from '../tenants-harness';
import type { TestServer } from './server';

/**
 * The two people of the demo walk-through, signed in over HTTP: Pat, customer admin of Acme
 * Builders (1001), and a myCOI ops user who logged in through the real login route.
 */
export async function demoAgents(ts: TestServer): Promise<{ admin: Agent; ops: Agent }> {
  const pool = ts.running.db.pool;
  const admin = new Agent(ts.url);
  const { token } = await createSession({ pool, sessionSecret: ts.running.config.sessionSecret }, 'admin', 'u-pat', {
    user: { id: 'u-pat', login: 'pat@acme.test', name: 'Pat' },
    companies: [{ id: '1001', name: 'Acme Builders' }],
  });
  admin.cookies.set(COOKIE.admin, token);
  await upsertOpsUser(pool, 'ops@mycoi.test', 'a-long-ops-password');
  const ops = new Agent(ts.url);
  const login = await ops.post('/api/ops/login', { email: 'ops@mycoi.test', password: 'a-long-ops-password' });
  if (login.status !== 200) throw new Error(`ops login failed: ${login.status}`);
  return { admin, ops };
}
