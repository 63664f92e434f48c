import client from 'prom-client';

// A feature's metrics (events, sync) are created unregistered and added to an app's registry when
// its routes mount: one registry per app instance, so tests can run several apps in one process.

export function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): client.Counter<L> {
  return new client.Counter({ name, help, labelNames, registers: [] });
}

export function histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): client.Histogram<L> {
  return new client.Histogram({ name, help, labelNames, buckets, registers: [] });
}

/** Adds `metrics` to an app's registry once (a second app on the same registry is a no-op). */
export function registerOnce(metrics: client.Metric[], registry: client.Registry): void {
  for (const m of metrics) {
    // prom-client's types do not declare a metric's name, though every metric has one
    if ('name' in m && typeof m.name === 'string' && !registry.getSingleMetric(m.name)) registry.registerMetric(m);
  }
}
