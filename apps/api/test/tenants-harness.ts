import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { loadConfig, type Config } from '@mycoi/config';
import type { Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import { createApp, type AppServices } from '../src/app';
import { upstreamView, type UpstreamLocations } from '../src/upstream';
import { createSession, COOKIE } from '../src/auth/sessions';
import { upsertOpsUser } from '../src/auth/ops-users';
import { createMailer, type Mailer } from '../src/mail/mailer';

/** A real app on port 0 over a fresh migrated database; upstream URLs as given (sandboxes in tests). */
export interface Harness {
  base: string;
  db: Database;
  config: Config;
  mailer: Mailer;
  close(): Promise<void>;
}

export async function startHarness(
  opts: { upstream?: UpstreamLocations; env?: Record<string, string>; services?: AppServices } = {},
): Promise<Harness> {
  const db = await createTestDatabase();
  const config = loadConfig({ LOG_LEVEL: 'silent', OPS_EMAIL: 'ops-team@mycoi.test', ...opts.env });
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, pool: db.pool });
  const app = createApp({
    config,
    db,
    logger: pino({ level: 'silent' }),
    // the test's own sandboxes, seen as the composition root sees embedded ones
    services: { mailer, ...(opts.upstream ? { upstream: upstreamView(config, opts.upstream, true) } : {}), ...opts.services },
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    db,
    config,
    mailer,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await db.close();
    },
  };
}

/** A tiny cookie-carrying HTTP client: one per "browser". */
export class Agent {
  cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async req(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=') as [string, string];
      if (v === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
  get = (p: string) => this.req('GET', p);
  post = (p: string, b?: unknown) => this.req('POST', p, b);
  put = (p: string, b?: unknown) => this.req('PUT', p, b);
}

/** An admin signed in for `companies` (the session a successful Procore sign-in creates). */
export async function adminAgent(h: Harness, companies: { id: string; name: string }[], login = 'pat@acme.test'): Promise<Agent> {
  const a = new Agent(h.base);
  const { token } = await createSession({ pool: h.db.pool, sessionSecret: h.config.sessionSecret }, 'admin', `u-${login}`, {
    user: { id: `u-${login}`, login, name: 'Pat' },
    companies,
  });
  a.cookies.set(COOKIE.admin, token);
  return a;
}

export async function opsAgent(h: Harness, email = 'ops@mycoi.test', password = 'a-long-ops-password'): Promise<Agent> {
  await upsertOpsUser(h.db.pool, email, password);
  const a = new Agent(h.base);
  const res = await a.post('/api/ops/login', { email, password });
  if (res.status !== 200) throw new Error(`ops login failed: ${res.status}`);
  return a;
}
