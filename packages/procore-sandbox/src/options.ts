import type { SeedFixture } from './seed/fixture';
import type { GeneratorOptions } from './seed/generator';
import type { ToolLevel } from './state/types';

/** What decides the sandbox's behaviour (resolved into ResolvedConfig); index.ts adds the embedder's hooks. */
export interface SandboxSettings {
  /** Default 0 (random port). Host is always 127.0.0.1 unless `host` is given. */
  port?: number;
  host?: string;
  seed?: 'demo' | 'empty' | SeedFixture | GeneratorOptions;
  tokenTtlSeconds?: number;
  /**
   * Per-token limits, Procore's documented numbers by default (3,600 an hour, 25 per 10 s). Tests
   * may raise them to stay fast; `'off'` (no limits, no headers) is for unit tests only.
   */
  rateLimit?: { hourly?: number; spike10s?: number } | 'off';
  latencyMs?: number;
  /** Strict (default true) = UNCONFIRMED behaviours take the stricter reading; see README. */
  strict?: boolean;
  /** Authorization code lifetime (Procore documents 10 minutes). */
  authCodeTtlSeconds?: number;
  /** v1.0 default per_page (UNCONFIRMED in Procore docs) and the cap applied silently. */
  defaultPerPage?: number;
  maxPerPage?: number;
  /** Tool level a token needs to write insurances (UNCONFIRMED; default 'standard'). */
  insuranceWriteLevel?: ToolLevel;
  /** Overrides of individual strict-mode decisions. */
  overrides?: Partial<StrictSwitches>;
  webhooks?: Partial<WebhookOptions>;
}

/** Each UNCONFIRMED behaviour that has a strict and a lenient reading. */
export interface StrictSwitches {
  /** Project-vendor insurances need the vendor in that Project Directory (404/422 otherwise). */
  requireProjectVendorForInsurance: boolean;
  /** origin_id of insurances unique across the whole company (company and project level), not per level. */
  insuranceOriginIdCompanyWide: boolean;
  /** User (authorization code) tokens also need the app installed in the company. */
  requireInstallForUserTokens: boolean;
  /** Accept any http://127.0.0.1:* / http://localhost:* redirect_uri (not only the registered ones). */
  allowAnyLoopbackRedirect: boolean;
  /** Unknown attributes in vendor/insurance writes → 406 (per-item error in sync), as the error reference lists. */
  rejectUnknownFields: boolean;
}

export interface WebhookOptions {
  /** Share (0..1) of successful deliveries that are sent a second time (at-least-once). */
  duplicateRate: number;
  /** Procore expects a 2xx within 5 s. */
  timeoutMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** After this long of failures the queue is flushed and its events marked discarded (12 h). */
  discardAfterMs: number;
  /** Deliver automatically in the background (tests can turn it off and call sb.webhooks.flush()). */
  autoDeliver: boolean;
  /**
   * Fault: trigger creation for these resource names is refused with 422, as Procore answers a
   * resource that is not available to the app or company. Mutable at runtime (sb.config.webhooks).
   */
  refuseTriggers: string[];
  /** Fault: trigger creation for these resource names answers 201 but nothing is stored (found only by reading back). */
  loseTriggers: string[];
}

export interface ResolvedConfig {
  tokenTtlSeconds: number;
  authCodeTtlSeconds: number;
  /** null = limits off (explicit lenient option for unit tests). */
  rateLimit: { hourly: number; spike10s: number } | null;
  latencyMs: number;
  strict: boolean;
  switches: StrictSwitches;
  defaultPerPage: number;
  maxPerPage: number;
  insuranceWriteLevel: ToolLevel;
  webhooks: WebhookOptions;
}

/** Procore's documented per-token limits: hourly budget and the 10-second spike limit. */
export const PROCORE_LIMITS = Object.freeze({ hourly: 3600, spike10s: 25 });

export function resolveConfig(o: SandboxSettings): ResolvedConfig {
  const strict = o.strict ?? true;
  return {
    tokenTtlSeconds: o.tokenTtlSeconds ?? 5400,
    authCodeTtlSeconds: o.authCodeTtlSeconds ?? 600,
    rateLimit:
      o.rateLimit === 'off'
        ? null
        : { hourly: o.rateLimit?.hourly ?? PROCORE_LIMITS.hourly, spike10s: o.rateLimit?.spike10s ?? PROCORE_LIMITS.spike10s },
    latencyMs: o.latencyMs ?? 0,
    strict,
    switches: {
      requireProjectVendorForInsurance: strict,
      insuranceOriginIdCompanyWide: strict,
      requireInstallForUserTokens: strict,
      allowAnyLoopbackRedirect: !strict,
      rejectUnknownFields: strict,
      ...o.overrides,
    },
    defaultPerPage: o.defaultPerPage ?? 100,
    maxPerPage: o.maxPerPage ?? 1000,
    insuranceWriteLevel: o.insuranceWriteLevel ?? 'standard',
    webhooks: {
      duplicateRate: 0,
      timeoutMs: 5000,
      initialBackoffMs: 1000,
      maxBackoffMs: 3_600_000,
      discardAfterMs: 12 * 3_600_000,
      autoDeliver: true,
      refuseTriggers: [],
      loseTriggers: [],
      ...o.webhooks,
    },
  };
}
