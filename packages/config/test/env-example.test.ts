import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../src';

const root = new URL('../../../', import.meta.url);
const schemaKeys = Object.keys(envSchema.shape).sort();

function keysIn(text: string, pattern: RegExp): string[] {
  return [...new Set([...text.matchAll(pattern)].map((m) => m[1]!))].sort();
}

describe('documentation of the environment', () => {
  it('.env.example lists exactly the variables of the config schema', () => {
    const text = readFileSync(new URL('.env.example', root), 'utf8');
    expect(keysIn(text, /^#?\s*([A-Z][A-Z0-9_]+)=/gm)).toEqual(schemaKeys);
  });

  it('docker-compose.yml only uses variable names the schema knows', () => {
    const text = readFileSync(new URL('docker-compose.yml', root), 'utf8');
    const app = text.split(/^ {2}postgres:/m)[0]!;
    const used = keysIn(app, /^\s+([A-Z][A-Z0-9_]+):/gm);
    expect(used.length).toBeGreaterThan(3);
    for (const key of used) expect(schemaKeys).toContain(key);
  });

  it('README documents every variable', () => {
    const text = readFileSync(new URL('README.md', root), 'utf8');
    for (const key of schemaKeys) expect(text, key).toContain(`\`${key}\``);
  });
});
