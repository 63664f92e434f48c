import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/server';

// Boots the real server twice on one PGlite directory: the second boot maps key id "k1" to a
// different key and must refuse to start, naming the key — not fail later at first decrypt.
const dir = mkdtempSync(path.join(tmpdir(), 'mycoi-keycheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = (key: Buffer) => ({
  NODE_ENV: 'test',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'silent',
  PGLITE_DIR: path.join(dir, 'pg'),
  SANDBOXES: 'false',
  PROCORE_LOGIN_URL: 'http://127.0.0.1:9',
  PROCORE_API_URL: 'http://127.0.0.1:9',
  MYCOI_API_URL: 'http://127.0.0.1:9',
  ENCRYPTION_KEYS: `k1:${key.toString('base64')}`,
  ENCRYPTION_ACTIVE_KEY: 'k1',
});

describe('encryption key check at boot', () => {
  it('boots with its key, then refuses a different key under the same id', async () => {
    const first = await startServer(env(randomBytes(32)), pino({ level: 'silent' }));
    await first.lifecycle.stop('test');
    await expect(startServer(env(randomBytes(32)), pino({ level: 'silent' }))).rejects.toThrow(
      /Encryption key "k1" does not match the key this database was encrypted with/,
    );
  }, 120_000);
});
