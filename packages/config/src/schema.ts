import { z } from 'zod';

/**
 * Every environment variable the service reads. `.env.example` lists exactly these keys (a test
 * keeps the two in step). Demo defaults make `npm start` work with no configuration at all;
 * production mode (NODE_ENV=production) refuses to start without the values marked `required in
 * production` below.
 */
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
);

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(0).max(65535);

export const PROCORE_ORIGINS = [
  'https://app.procore.com',
  'https://*.procore.com',
  'https://sandbox.procore.com',
  'https://api-sandbox-monthly.procore.com',
];

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'a size such as 1mb or 512kb')
    .default('1mb'),
  // Which proxies in front may set X-Forwarded-For. Off by default: with nothing in front, a client
  // could name any address and walk past per-IP limits. A hop count (1 = one load balancer) or a
  // list of proxy addresses/subnets (express names such as loopback, uniquelocal also work).
  TRUST_PROXY: z
    .string()
    .regex(/^(false|\d{1,2}|[\w.:/,\s-]+)$/, 'false, a hop count such as 1, or comma-separated proxy addresses/subnets')
    .refine((v) => v.trim() !== 'true', 'true would trust any client-supplied X-Forwarded-For; give a hop count or the proxy addresses')
    .transform((v): false | number | string[] => {
      const t = v.trim();
      if (t === 'false' || t === '0' || t === '') return false;
      if (/^\d+$/.test(t)) return Number(t);
      return t
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    })
    .default(false),

  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
    .optional(),
  PGLITE_DIR: z.string().min(1).default('.data/pglite'),

  ENCRYPTION_KEYS: z
    .string()
    .regex(/^([\w-]+:[A-Za-z0-9+/=]{43,44})(,[\w-]+:[A-Za-z0-9+/=]{43,44})*$/, 'comma-separated keyId:base64(32 bytes)')
    .optional(),
  ENCRYPTION_ACTIVE_KEY: z
    .string()
    .regex(/^[\w-]+$/)
    .optional(),
  SESSION_SECRET: z.string().min(32, 'at least 32 characters').optional(),

  FRAME_ANCESTORS: csv.default(PROCORE_ORIGINS),

  SANDBOXES: bool.optional(),
  PROCORE_LOGIN_URL: z.url().optional(),
  PROCORE_API_URL: z.url().optional(),
  PROCORE_CLIENT_ID: z.string().min(1).optional(),
  PROCORE_CLIENT_SECRET: z.string().min(1).optional(),
  MYCOI_API_URL: z.url().optional(),
  MYCOI_WEBHOOK_SECRET: z.string().min(16).optional(),

  SYNC_ENABLED: bool.default(true),
  // unset: every two hours; in the demo with embedded sandboxes every two minutes (see load.ts)
  SYNC_CRON: z.string().min(9).optional(),
  SYNC_RECONCILE_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 30)
    .default(24),
  // runs one instance works on at once (never two of one tenant): runs wait on upstream latency and
  // each tenant has its own Procore budget, so one instance can keep several going; a run waiting
  // for its tenant's rate window lends its place meanwhile (packages/jobs permits.ts)
  SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  EVENTS_COALESCE_MS: z.coerce.number().int().min(0).max(60_000).default(500),

  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('myCOI for Procore <integrations@mycoitracking.com>'),
  OPS_EMAIL: z.email().default('ops@mycoitracking.com'),
});

export type Env = z.infer<typeof envSchema>;

/** Variables production cannot run without: no silent fall-back to demo keys or local sandboxes. */
export const requiredInProduction = [
  'DATABASE_URL',
  'ENCRYPTION_KEYS',
  'ENCRYPTION_ACTIVE_KEY',
  'SESSION_SECRET',
  'PUBLIC_URL',
  'PROCORE_LOGIN_URL',
  'PROCORE_API_URL',
  'PROCORE_CLIENT_ID',
  'PROCORE_CLIENT_SECRET',
  'MYCOI_API_URL',
  'MYCOI_WEBHOOK_SECRET',
  'SMTP_URL',
] as const satisfies readonly (keyof Env)[];
