import type { AddressInfo } from 'node:net';
import { createAdmin, type SandboxAdmin } from './admin';
import { buildApp } from './http/app';
import type { Deps } from './http/context';
import { FaultInjector, type Faults } from './http/faults';
import { RateLimiter } from './http/ratelimit';
import { RequestLog, type LoggedRequest } from './http/requestlog';
import type { Express } from 'express';
import type { HarnessOptions } from './harness';
import { resolveConfig, type ResolvedConfig, type SandboxSettings } from './options';
import { demoFixture } from './seed/demo';
import { loadFixture, summarize, type SeedFixture, type SeedSummary } from './seed/fixture';
import { generateSeed, type GeneratorOptions } from './seed/generator';
import { Store } from './state/store';
import { DeliveryEngine } from './webhooks/delivery';
import { Emitter, type EmitArgs } from './webhooks/emitter';

export type { ResolvedConfig } from './options';
export { PROCORE_LIMITS } from './options';
export type { SeedFixture, SeedSummary } from './seed/fixture';
export type { GeneratorOptions, CompanySize } from './seed/generator';
export { companyDmsa } from './seed/generator';
export type { Faults } from './http/faults';
export type { LoggedRequest } from './http/requestlog';
export type { EmitArgs } from './webhooks/emitter';
export type { SandboxAdmin } from './admin';
export * from './state/types';
export { Store } from './state/store';
export { serializeStore, restoreStore } from './state/persist';
export { demoFixture } from './seed/demo';
export type { Deps } from './http/context';

export interface ProcoreSandbox {
  url: string;
  port: number;
  seed: SeedSummary;
  state: Store;
  config: ResolvedConfig;
  faults: { set(f: Faults): void; clear(): void; readonly current: Faults };
  requests(): LoggedRequest[];
  clearRequests(): void;
  /** Simulate a Procore-side change event (fires matching webhooks). */
  emit(e: EmitArgs): void;
  /** Hand edits in "Procore" that fire webhooks like the UI would. */
  admin: SandboxAdmin;
  webhooks: { flush(): void; idle(timeoutMs?: number): Promise<void>; pending(): number };
  rateLimits: { reset(): void };
  close(): Promise<void>;
}

function isFixture(seed: SeedFixture | GeneratorOptions): seed is SeedFixture {
  return Array.isArray((seed as SeedFixture).companies);
}

export function seedStore(store: Store, seed: ProcoreSandboxOptions['seed']): void {
  if (seed === undefined || seed === 'demo') loadFixture(store, demoFixture());
  else if (seed === 'empty') return;
  else if (isFixture(seed)) loadFixture(store, seed);
  else generateSeed(store, seed);
}

/** The settings, plus what an embedder hooks in (kept out of options.ts: they name the HTTP layer, which reads the settings). */
export interface ProcoreSandboxOptions extends SandboxSettings {
  /** The side-panel harness page (/_harness/): where the panel is served (default http://localhost:3000). */
  harness?: HarnessOptions;
  /** Mount extra routes on the sandbox app (tests, demos). */
  extend?: (app: Express, deps: Deps) => void;
}

export async function createProcoreSandbox(options: ProcoreSandboxOptions = {}): Promise<ProcoreSandbox> {
  const config = resolveConfig(options);
  const store = new Store();
  store.insuranceOriginPerLevel = !config.switches.insuranceOriginIdCompanyWide;
  seedStore(store, options.seed);
  const emitter = new Emitter(store);
  const deliveries = new DeliveryEngine(store, config.webhooks);
  emitter.on((e) => deliveries.dispatch(e));
  const deps: Deps = { store, config, emitter };
  const limiter = new RateLimiter(deps);
  const faults = new FaultInjector(config.latencyMs, (on) => (limiter.storm = on));
  const log = new RequestLog();
  const admin = createAdmin(deps);
  const app = buildApp({ deps, faults, limiter, log, admin, extend: options.extend, harness: options.harness });

  const host = options.host ?? '127.0.0.1';
  const server = app.listen(options.port ?? 0, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}`,
    port,
    seed: summarize(store),
    state: store,
    config,
    faults: {
      set: (f) => faults.set(f),
      clear: () => faults.clear(),
      get current() {
        return faults.current;
      },
    },
    requests: () => [...log.entries],
    clearRequests: () => void (log.entries.length = 0),
    emit: (e) => void emitter.emit(e),
    admin,
    webhooks: { flush: () => deliveries.flush(), idle: (t) => deliveries.idle(t), pending: () => deliveries.pending() },
    rateLimits: { reset: () => limiter.reset() },
    async close() {
      deliveries.close();
      faults.endHanging();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
