import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../src/auth/passwords';
import { seedDemoOpsUser, upsertOpsUser } from '../src/auth/ops-users';
import { createMailer, listOutbox } from '../src/mail/mailer';
import { Agent, startHarness, type Harness } from './tenants-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await upsertOpsUser(h.db.pool, 'Ops@MyCOI.test', 'correct-horse-battery');
});
afterAll(async () => h?.close());

describe('ops passwords', () => {
  it('scrypt hashes are salted and verify only the right password', async () => {
    const a = await hashPassword('pw-123456789');
    const b = await hashPassword('pw-123456789');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('pw-123456789', a)).toBe(true);
    expect(await verifyPassword('pw-123456780', a)).toBe(false);
    expect(await verifyPassword('pw-123456789', 'garbage')).toBe(false);
  });

  it('the stored row holds no password', async () => {
    const { rows } = await h.db.pool.query('select * from ops_users');
    expect(JSON.stringify(rows)).not.toContain('correct-horse-battery');
  });
});

describe('ops login', () => {
  it('is case-insensitive on email and sets an httpOnly SameSite=Lax cookie', async () => {
    const a = new Agent(h.base);
    const res = await fetch(`${h.base}/api/ops/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'OPS@mycoi.test', password: 'correct-horse-battery' }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('mycoi_ops='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=43200/);
    expect(cookie).not.toMatch(/Secure/); // http://localhost in tests; Secure when PUBLIC_URL is https
    expect((await a.get('/api/ops/me')).status).toBe(401);
  });

  it('rejects bad input with 400 and wrong passwords with 401', async () => {
    const a = new Agent(h.base);
    expect((await a.post('/api/ops/login', { email: 'nope' })).status).toBe(400);
    expect((await a.post('/api/ops/login', { email: 'nobody@mycoi.test', password: 'x' })).status).toBe(401);
  });

  it('locks an email+ip out after 5 failures, even for the right password', async () => {
    const a = new Agent(h.base);
    for (let i = 0; i < 5; i++)
      expect((await a.post('/api/ops/login', { email: 'ops@mycoi.test', password: `wrong-${i}` })).status).toBe(401);
    const locked = await a.post('/api/ops/login', { email: 'ops@mycoi.test', password: 'correct-horse-battery' });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    // another account from the same ip is not affected
    await upsertOpsUser(h.db.pool, 'other@mycoi.test', 'another-long-password');
    expect((await a.post('/api/ops/login', { email: 'other@mycoi.test', password: 'another-long-password' })).status).toBe(200);
    // the window passes
    await h.db.pool.query("update login_failures set at = at - interval '16 minutes'");
    expect((await a.post('/api/ops/login', { email: 'ops@mycoi.test', password: 'correct-horse-battery' })).status).toBe(200);
  });

  it('failed logins are audited without the password', async () => {
    const { rows } = await h.db.pool.query("select actor, details from audit_log where action = 'ops.login_failed'");
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(rows)).not.toContain('wrong-');
  });

  it('seeds the demo account once', async () => {
    expect(await seedDemoOpsUser(h.db.pool)).toBe(false); // ops@mycoi.test exists already
    await h.db.pool.query("delete from ops_users where email = 'ops@mycoi.test'");
    expect(await seedDemoOpsUser(h.db.pool)).toBe(true);
    expect((await new Agent(h.base).post('/api/ops/login', { email: 'ops@mycoi.test', password: 'ops-demo-password' })).status).toBe(200);
  });
});

describe('mailer without SMTP_URL', () => {
  it('keeps mail in the outbox, which ops can read', async () => {
    const m = createMailer({ from: 'x@y.test', pool: h.db.pool });
    expect(m.kind).toBe('outbox');
    await m.send({ to: ['a@b.test', 'c@d.test'], subject: 'Digest', text: 'two projects missing' });
    expect((await listOutbox(h.db.pool))[0]).toMatchObject({
      to: ['a@b.test', 'c@d.test'],
      subject: 'Digest',
      text: 'two projects missing',
    });
    const a = new Agent(h.base);
    await a.post('/api/ops/login', { email: 'other@mycoi.test', password: 'another-long-password' });
    expect((await a.get('/api/ops/outbox')).body.messages[0].subject).toBe('Digest');
  });
});
