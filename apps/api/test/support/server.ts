import { createServer } from 'node:net';
import type { Logger } from 'pino';
import type { Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import { createProcoreSandbox, PROCORE_LIMITS } from '@mycoi/procore-sandbox';
import { createMycoiSandbox } from '@mycoi/mycoi-sandbox';
import { startServer, type RunningServer } from '../../src/server';

type ProcoreSandbox = Awaited<ReturnType<typeof createProcoreSandbox>>;
type MycoiSandbox = Awaited<ReturnType<typeof createMycoiSandbox>>;
type ProcoreOptions = NonNullable<Parameters<typeof createProcoreSandbox>[0]>;

/** Rate limits raised (never off) so suites stay fast; a suite that checks behaviour at Procore's
 *  documented limits passes `procore: { rateLimit: PROCORE_LIMITS }`. */
export const RAISED_LIMITS = { hourly: 100_000, spike10s: 10_000 };
export { PROCORE_LIMITS };

export interface TestServer {
  /** The service's public URL, e.g. http://localhost:41234 — use it for the browser too (cookies are per host). */
  url: string;
  running: RunningServer;
  procore: ProcoreSandbox;
  mycoi: MycoiSandbox;
  close(): Promise<void>;
}

/** A port nobody listens on right now. The service needs it before boot so PUBLIC_URL (OAuth redirect) is right. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Boots the whole service the way `npm start` does (config, migrations, services, HTTP), on a fresh
 * database (in-memory PGlite, or a throwaway PostgreSQL database when DATABASE_URL is set), with the
 * Procore and myCOI sandboxes started here on random ports so the test can reach their state and
 * faults. The Procore sandbox accepts any loopback redirect_uri, since our port is random.
 */
export interface TestServerOptions {
  env?: Record<string, string>;
  procore?: ProcoreOptions;
  /** a logger to capture the service's log stream (default: one on stdout at LOG_LEVEL) */
  logger?: Logger;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const procore = await createProcoreSandbox({
    port: 0,
    seed: 'demo',
    rateLimit: RAISED_LIMITS,
    ...options.procore,
    overrides: { allowAnyLoopbackRedirect: true, ...options.procore?.overrides },
  });
  const mycoi = await createMycoiSandbox({ port: 0, seed: 'demo' });
  try {
    const db = await createTestDatabase({ migrate: false }); // startServer migrates
    const { url, running } = await startService({ procore, mycoi, db, env: options.env, logger: options.logger });
    return {
      url,
      running,
      procore,
      mycoi,
      async close() {
        await running.lifecycle.stop('test done');
        await Promise.all([procore.close(), mycoi.close()]);
      },
    };
  } catch (err) {
    await Promise.all([procore.close(), mycoi.close()]);
    throw err;
  }
}

/**
 * One instance of the service on `db`, as `npm start` boots it (config, migrations, services,
 * HTTP) on a free port, pointed at the given sandboxes, its scheduler off unless `env` turns it on.
 * Several instances may share one database (stopping one closes `db` unless the caller guards it).
 */
export async function startService(o: {
  procore: ProcoreSandbox;
  mycoi: MycoiSandbox;
  db: Database;
  env?: Record<string, string>;
  /** a logger to capture the service's log stream (default: one on stdout at LOG_LEVEL) */
  logger?: Logger;
}): Promise<{ url: string; running: RunningServer }> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const running = await startServer(
    {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      LOG_LEVEL: 'warn',
      SANDBOXES: 'false',
      PROCORE_API_URL: o.procore.url,
      PROCORE_LOGIN_URL: o.procore.url,
      PROCORE_CLIENT_ID: 'demo-panel-client',
      PROCORE_CLIENT_SECRET: 'demo-panel-secret',
      MYCOI_API_URL: o.mycoi.url,
      SYNC_ENABLED: 'false',
      ...o.env,
    },
    o.logger, // a test may capture the log stream
    { db: o.db },
  );
  return { url, running };
}
