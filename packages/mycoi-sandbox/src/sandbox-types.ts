import type { AuthOptions } from './auth';
import type { FaultConfig } from './faults';
import type { RateLimitOptions } from './ratelimit';
import type { AdminComplianceChange } from './compliance-change';
import type { GeneratorOptions } from './seed/generate';
import type { SeedSummary } from './seed/summary';
import type { ComplianceRecord } from './types';
import type { Delivery, WebhookConfig } from './webhooks';

export interface MycoiSandboxOptions extends AuthOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1; 0.0.0.0 only where another host must reach it (docker-compose.yml's demo profile). */
  host?: string;
  /**
   * 'demo' (default), 'empty', or the demo plus generated tenants: one (the large tenant) or a list,
   * each its own account with its own client credentials (multi-tenant benchmarks).
   */
  seed?: 'demo' | 'empty' | { generate: GeneratorOptions | GeneratorOptions[] };
  /** The date (YYYY-MM-DD) policy dates and seeded timestamps are relative to; default today (UTC). */
  asOf?: string;
  /** Base latency per API call, ms. */
  latencyMs?: number;
  rateLimit?: RateLimitOptions;
  webhook?: WebhookConfig;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  query: string;
  status: number;
  accountId: string | null;
  clientId: string | null;
  tokenKind: 'client' | 'user' | null;
  fault: string | null;
  idempotencyKey: string | null;
}

export type ComplianceTarget = { vendorId: string } | { assignmentId: string };

export interface SandboxAdmin {
  setCompliance(target: ComplianceTarget, change: AdminComplianceChange): ComplianceRecord;
  unlockUser(email: string): void;
  expireTokens(): void;
  setWebhook(config: WebhookConfig | undefined): void;
  flushWebhooks(): Promise<void>;
  deliveries(): Delivery[];
  setFaults(config: FaultConfig): void;
  faults(): FaultConfig;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  seedSummary(): SeedSummary;
  counts(): Record<string, Record<string, number>>;
  fullState(): unknown;
}
