import { ConfigError } from '@mycoi/config';
import { DataDirLockedError } from '@mycoi/db';
import { startServer } from './server';

const STOP_DEADLINE_MS = 25_000;

// The only entry point: parse config, boot, and stop cleanly on SIGTERM/SIGINT.
try {
  const running = await startServer();
  running.logger.info({ url: running.url, mode: running.config.mode }, `myCOI for Procore is listening on ${running.url}`);
  const stop = (signal: string) => {
    // Orchestrators kill the process after their grace period (Kubernetes 30 s, docker-compose.yml's
    // stop_grace_period): a stop stuck on a slow upstream call exits on our own terms first.
    setTimeout(() => {
      running.logger.error({ signal }, `shutdown did not finish within ${STOP_DEADLINE_MS} ms; exiting`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    void running.lifecycle.stop(signal).then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (err) {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message);
  } else {
    console.error('Failed to start:', err);
  }
  process.exit(1);
}
