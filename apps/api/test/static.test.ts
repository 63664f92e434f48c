import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticRoutes } from '../src/routes/static';

// The router on its own, over real HTTP, against a fake build output: fast, and independent of
// whether `vite build` has run.
let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'static-'));
  mkdirSync(path.join(dir, 'console/assets'), { recursive: true });
  writeFileSync(path.join(dir, 'console/index.html'), '<!doctype html><title>console</title>');
  writeFileSync(path.join(dir, 'console/assets/index-abc123.js'), 'console.log(1)');
  const app = express();
  app.use(
    staticRoutes([
      { prefix: '/console', distDir: path.join(dir, 'console'), workspace: '@mycoi/console' },
      { prefix: '/panel', distDir: path.join(dir, 'panel-not-built'), workspace: '@mycoi/side-panel' },
    ]),
  );
  app.use((_req, res) => res.status(404).json({ error: { code: 'not_found', message: 'nope' } }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('web app hosting', () => {
  it('redirects the bare prefix to the trailing-slash URL and keeps the query (Procore post-install link)', async () => {
    const res = await fetch(`${base}/console?companyId=1001`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/console/?companyId=1001');
  });

  it('serves index.html for the root and for client-side routes, never cached', async () => {
    for (const p of ['/console/', '/console/ops', '/console/ops/tenants/abc']) {
      const res = await fetch(`${base}${p}`);
      expect(res.status, p).toBe(200);
      expect(await res.text()).toContain('<title>console</title>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves hashed assets with a long immutable cache', async () => {
    const res = await fetch(`${base}/console/assets/index-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
  });

  it('answers a missing asset with 404, not with index.html', async () => {
    const res = await fetch(`${base}/console/assets/missing.js`);
    expect(res.status).toBe(404);
  });

  it('explains how to build an app that is not built yet', async () => {
    const res = await fetch(`${base}/panel/`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('not_built');
    expect(body.error.message).toContain('npm run build -w @mycoi/side-panel');
  });
});
