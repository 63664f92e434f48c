import { ConfigError } from '@mycoi/config';
import { DataDirLockedError } from '@mycoi/db';
import { startServer } from './server';

// The only entry point: parse config, boot, and stop cleanly on SIGTERM/SIGINT.
try {
  const running = await startServer();
  running.logger.info({ url: running.url, mode: running.config.mode }, `myCOI for Procore is listening on ${running.url}`);
  const stop = (signal: string) => {
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
