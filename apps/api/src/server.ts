import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { loadConfig, type Config } from '@mycoi/config';
import { migrate, openDatabase, type Database } from '@mycoi/db';
import { createApp } from './app';
import { createLogger } from './logger';
import { Lifecycle } from './lifecycle';
import { startServices } from './services';

export interface RunningServer {
  server: Server;
  url: string;
  config: Config;
  logger: Logger;
  lifecycle: Lifecycle;
  /** The open database (tests seed and inspect through it). */
  db: Database;
}

export interface StartOptions {
  /** An already-open database (tests pass createTestDatabase()); the server closes it on stop. */
  db?: Database;
}

/** Boots the whole service: config, database, migrations, services, HTTP. Used by main and by tests. */
export async function startServer(
  env: Record<string, string | undefined> = process.env,
  logger?: Logger,
  options: StartOptions = {},
): Promise<RunningServer> {
  const config = loadConfig(env);
  const log = logger ?? createLogger({ level: config.LOG_LEVEL }); // pretty on a terminal, JSON otherwise
  const lifecycle = new Lifecycle(log);
  const onIdleError = (err: Error) =>
    log.warn({ err: err.message }, 'an idle database connection was closed by the server; it is replaced');
  const db =
    options.db ??
    (config.DATABASE_URL
      ? openDatabase({ databaseUrl: config.DATABASE_URL, onIdleError })
      : openDatabase({ dataDir: config.PGLITE_DIR, onIdleError }));
  lifecycle.onStop('database', () => db.close());
  try {
    const applied = await migrate(db.pool);
    if (applied.length) log.info({ applied }, 'migrations applied');
    const services = await startServices({ config, db, logger: log, lifecycle });
    const app = createApp({ config, db, logger: log, services });
    const server = app.listen(config.PORT, config.HOST);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    lifecycle.onStop('http', () => closeServer(server));
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
    const url = `http://localhost:${port}`;
    for (const hook of services.afterListen) await hook(url);
    return { server, url, config, logger: log, lifecycle, db };
  } catch (err) {
    await lifecycle.stop('boot failed');
    throw err;
  }
}

/** Stop accepting, let in-flight requests finish, then drop idle keep-alive sockets. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5_000).unref();
  });
}
