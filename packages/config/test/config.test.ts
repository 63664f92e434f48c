import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('starts in demo mode with no configuration at all', () => {
    const c = loadConfig({});
    expect(c.mode).toBe('demo');
    expect(c.PORT).toBe(3000);
    expect(c.PGLITE_DIR).toBe('.data/pglite');
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.sandboxes).toBe(true);
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.encryption.keys.get(c.encryption.activeKeyId)).toHaveLength(32);
    expect(c.FRAME_ANCESTORS).toContain('https://app.procore.com');
    expect(c.syncCron).toBe('*/2 * * * *'); // the demo's cycle is short so sandbox changes show soon
  });

  it('runs the cycle every two hours against real upstreams unless told otherwise', () => {
    const real = { PROCORE_API_URL: 'https://api.procore.com', MYCOI_API_URL: 'https://api.mycoitracking.com' };
    expect(loadConfig(real).syncCron).toBe('0 */2 * * *');
    expect(loadConfig({ ...real, SYNC_CRON: '30 1 * * *' }).syncCron).toBe('30 1 * * *');
  });

  it('lists every bad variable in one error, not just the first', () => {
    const problems = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', SYNC_ENABLED: 'maybe' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(expect.arrayContaining(['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'SYNC_ENABLED']));
    expect(problems).toHaveLength(4);
  });

  it('refuses production without explicit database, keys and upstreams', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    for (const key of ['DATABASE_URL', 'ENCRYPTION_KEYS', 'SESSION_SECRET', 'PROCORE_API_URL', 'MYCOI_API_URL']) {
      expect(problems.some((p) => p.startsWith(`${key}:`))).toBe(true);
    }
  });

  it('checks encryption key length and that the active key exists', () => {
    const short = Buffer.alloc(16).toString('base64').padEnd(44, 'A');
    const problems = problemsOf({ ENCRYPTION_KEYS: `k1:${short}`, ENCRYPTION_ACTIVE_KEY: 'k2' });
    expect(problems.join('\n')).toMatch(/k2/);
  });

  it('accepts several keys and picks the named active one', () => {
    const k1 = Buffer.alloc(32, 1).toString('base64');
    const k2 = Buffer.alloc(32, 2).toString('base64');
    const c = loadConfig({ ENCRYPTION_KEYS: `old:${k1},new:${k2}`, ENCRYPTION_ACTIVE_KEY: 'new' });
    expect(c.encryption.activeKeyId).toBe('new');
    expect(c.encryption.keys.size).toBe(2);
  });

  it('treats empty values as unset (docker compose passes VAR= through)', () => {
    const c = loadConfig({ DATABASE_URL: '', PORT: '' });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.PORT).toBe(3000);
  });
});
