import type { Logger } from 'pino';

/**
 * Ordered shutdown: things registered last stop first (scheduler before HTTP before the pool),
 * mirroring the order in which main started them.
 */
export class Lifecycle {
  private readonly stops: { name: string; fn: () => Promise<void> | void }[] = [];
  private stopping?: Promise<void>;

  constructor(private readonly logger: Logger) {}

  onStop(name: string, fn: () => Promise<void> | void): void {
    this.stops.push({ name, fn });
  }

  stop(reason: string): Promise<void> {
    this.stopping ??= (async () => {
      this.logger.info({ reason }, 'shutting down');
      for (const { name, fn } of [...this.stops].reverse()) {
        try {
          await fn();
        } catch (err) {
          this.logger.error({ err, name }, 'error while stopping');
        }
      }
      this.logger.info('stopped');
    })();
    return this.stopping;
  }
}
