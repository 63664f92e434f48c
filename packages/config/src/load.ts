import { createHash } from 'node:crypto';
import { envSchema, requiredInProduction, type Env } from './schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface Config extends Env {
  mode: 'demo' | 'production';
  publicUrl: string;
  /** Demo only: embedded sandboxes start in-process when their URLs are not given. */
  sandboxes: boolean;
  encryption: { keys: Map<string, Buffer>; activeKeyId: string };
  sessionSecret: string;
  /** The cycle's schedule: SYNC_CRON, else two-hourly — shortened in the demo so changes show soon. */
  syncCron: string;
}

/** A fixed, clearly-labelled key for the zero-config demo; production refuses to start without its own. */
function demoKey(label: string): string {
  return createHash('sha256').update(`mycoi-procore-demo-${label}`).digest('base64');
}

function parseKeys(spec: string): Map<string, Buffer> {
  return new Map(
    spec.split(',').map((pair) => {
      const [id, b64] = pair.split(':') as [string, string];
      return [id, Buffer.from(b64, 'base64')];
    }),
  );
}

/**
 * Parse the environment once, at boot. Every problem is collected and reported together so an
 * operator fixes the whole list in one go instead of one variable per restart.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "not set" (docker compose passes `VAR=` through as an empty value).
  const env = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
  }
  const production = env.NODE_ENV === 'production';
  if (production) {
    for (const key of requiredInProduction) {
      if (env[key] === undefined) problems.push(`${key}: required when NODE_ENV=production`);
    }
    if (env.SANDBOXES === 'true') problems.push('SANDBOXES: embedded sandboxes are for the demo, not production');
  }
  if (parsed.success && parsed.data.ENCRYPTION_KEYS) {
    const keys = parseKeys(parsed.data.ENCRYPTION_KEYS);
    for (const [id, key] of keys) if (key.length !== 32) problems.push(`ENCRYPTION_KEYS: key "${id}" is not 32 bytes`);
    const active = parsed.data.ENCRYPTION_ACTIVE_KEY;
    if (active && !keys.has(active)) problems.push(`ENCRYPTION_ACTIVE_KEY: "${active}" is not in ENCRYPTION_KEYS`);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);

  const data = parsed.data;
  const keySpec = data.ENCRYPTION_KEYS ?? `demo:${demoKey('encryption')}`;
  const keys = parseKeys(keySpec);
  const activeKeyId = data.ENCRYPTION_ACTIVE_KEY ?? [...keys.keys()].at(-1)!;
  const publicPort = data.PORT === 0 ? 3000 : data.PORT;
  const sandboxes = data.SANDBOXES ?? (!production && !data.PROCORE_API_URL && !data.MYCOI_API_URL);
  return {
    ...data,
    mode: production ? 'production' : 'demo',
    publicUrl: (data.PUBLIC_URL ?? `http://localhost:${publicPort}`).replace(/\/$/, ''),
    sandboxes,
    syncCron: data.SYNC_CRON ?? (sandboxes ? '*/2 * * * *' : '0 */2 * * *'),
    encryption: { keys, activeKeyId },
    sessionSecret: data.SESSION_SECRET ?? demoKey('session'),
  };
}
