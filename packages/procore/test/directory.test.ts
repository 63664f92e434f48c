import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../src/index';
import { ACME, NOCOMMIT, OTHER, count, setup } from './helpers';

let env: Awaited<ReturnType<typeof setup>>;
beforeAll(async () => {
  env = await setup();
});
afterAll(async () => {
  await env.sb.close();
});

describe('me, companies, projects', () => {
  it('sends Procore-Company-Id and reads me and companies for a DMSA token', async () => {
    const me = await env.acme.me();
    expect(me.id).toBe(env.sb.seed.apps.find((a) => a.clientId === 'demo-dmsa-client')!.serviceAccountUserId);
    const companies = await env.acme.companies.list();
    expect(companies.invalid).toEqual([]);
    expect(companies.items.map((c) => c.id)).toEqual([ACME]);
    expect(
      env.sb
        .requests()
        .filter((r) => r.path.startsWith('/rest/'))
        .every((r) => r.companyId === ACME),
    ).toBe(true);
  });

  it('DMSA /me without a company header is refused', async () => {
    await expect(env.procore.me()).rejects.toBeInstanceOf(UpstreamError);
  });

  it('lists projects (v1.0 and v1.1), across pages, and shows one', async () => {
    const all = await env.acme.projects.list({ byStatus: 'All' });
    const expected = env.sb.seed.companies.find((c) => c.id === ACME)!.projectIds;
    expect(all.items.map((p) => p.id).sort()).toEqual([...expected].sort());
    expect(all.invalid).toEqual([]);
    const active = await env.acme.projects.list();
    expect(active.items.every((p) => p.active !== false)).toBe(true);
    expect(active.items.length).toBeLessThan(all.items.length);

    env.sb.clearRequests();
    const pages = [];
    for await (const page of env.acme.projects.pagesV11({ byStatus: 'All', perPage: 1 })) pages.push(page);
    expect(pages.map((p) => p.page)).toEqual(expected.map((_, i) => i + 1));
    expect(pages.every((p) => p.total === expected.length && p.items.length === 1)).toBe(true);
    expect(count(env.sb, (r) => r.path === '/rest/v1.1/projects')).toBe(expected.length);

    const one = await env.acme.projects.get(expected[0]!);
    expect(one).toMatchObject({ id: expected[0], company: { id: ACME } });
  });

  it('a company where the app is not installed → typed 403 without the token', async () => {
    const err = await env.procore
      .company(OTHER)
      .projects.list()
      .catch((e) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.status).toBe(403);
    expect(err.path).toBe('/rest/v1.0/projects');
    const token = await env.token.getToken();
    expect(JSON.stringify(err)).not.toContain(token);
    expect(String(err.message)).not.toContain(token);
  });

  it('an app without the commitments tool gets 403 on commitments only', async () => {
    const nc = await setup({}, {}, NOCOMMIT);
    try {
      const projects = await nc.acme.projects.list();
      expect(projects.items.length).toBeGreaterThan(0);
      await expect(nc.acme.commitments.list(projects.items[0]!.id)).rejects.toMatchObject({ status: 403 });
    } finally {
      await nc.sb.close();
    }
  });
});

describe('company vendors', () => {
  it('lists with pagination and filters, shows one', async () => {
    const ids = env.sb.seed.companies.find((c) => c.id === ACME)!.vendorIds;
    env.sb.clearRequests();
    const all = await env.acme.vendors.list({ perPage: 3 });
    expect(all.items.map((v) => v.id).sort()).toEqual([...ids].sort());
    expect(count(env.sb, (r) => r.path === '/rest/v1.0/vendors')).toBe(Math.ceil(ids.length / 3));
    const one = await env.acme.vendors.get(ids[0]!);
    expect(one.id).toBe(ids[0]);
    const since = await env.acme.vendors.list({ updatedAt: { from: '2026-03-01T00:00:00Z' } });
    expect(since.items.length).toBeGreaterThan(0);
    expect(since.items.every((v) => (v.updated_at ?? '') >= '2026-03-01T00:00:00Z')).toBe(true);
    expect(since.items.length).toBeLessThan(ids.length);
  });

  it('creates, updates, finds by origin_id', async () => {
    const created = await env.acme.vendors.create({ name: 'Client Test Vendor', origin_id: 'mycoi-v-1', email_address: 'a@b.test' });
    expect(created).toMatchObject({ name: 'Client Test Vendor', origin_id: 'mycoi-v-1' });
    const updated = await env.acme.vendors.update(created.id, { city: 'Fresno' });
    expect(updated.city).toBe('Fresno');
    const found = await env.acme.vendors.list({ originId: 'mycoi-v-1' });
    expect(found.items.map((v) => v.id)).toEqual([created.id]);
    await expect(env.acme.vendors.create({ name: '' })).rejects.toMatchObject({ status: expect.any(Number) });
  });

  it('syncs a batch of creates, updates and per-item errors', async () => {
    const existing = env.sb.seed.companies.find((c) => c.id === ACME)!.vendorIds[1]!;
    const r = await env.acme.vendors.sync([
      { origin_id: 'mycoi-v-10', name: 'Synced One' },
      { origin_id: 'mycoi-v-11', name: 'Synced Two' },
      { id: existing, notes: 'updated by sync' },
      { id: 99999999, name: 'ghost' },
    ]);
    expect(r.failed).toEqual([]);
    expect(r.entities.map((e) => e.origin_id ?? e.id).sort()).toEqual([existing, 'mycoi-v-10', 'mycoi-v-11'].sort());
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.errors.id?.[0]).toMatch(/not found/i);
    // Re-running the same sync updates instead of duplicating.
    await env.acme.vendors.sync([{ origin_id: 'mycoi-v-10', name: 'Synced One (renamed)' }]);
    const found = await env.acme.vendors.list({ originId: 'mycoi-v-10' });
    expect(found.items.map((v) => v.name)).toEqual(['Synced One (renamed)']);
  });
});

describe('project vendors', () => {
  it('lists, shows, adds and removes', async () => {
    const projectId = env.sb.seed.companies.find((c) => c.id === ACME)!.projectIds[0]!;
    const pv = env.acme.projectVendors(projectId);
    const before = await pv.list();
    expect(before.invalid).toEqual([]);
    const all = env.sb.seed.companies.find((c) => c.id === ACME)!.vendorIds;
    const outsider = all.find((id) => !before.items.some((v) => v.id === id));
    expect(outsider).toBeDefined();
    await expect(pv.get(outsider!)).rejects.toMatchObject({ status: 404 });
    const added = await pv.add(outsider!);
    expect(added.id).toBe(outsider);
    expect((await pv.get(outsider!)).id).toBe(outsider);
    expect((await pv.list()).items.map((v) => v.id)).toContain(outsider);
    await pv.remove(outsider!);
    expect((await pv.list()).items.map((v) => v.id)).not.toContain(outsider);
  });
});

describe('bad upstream records', () => {
  it('a record failing validation is reported with its id; the rest of the page is kept', async () => {
    const ids = env.sb.seed.companies.find((c) => c.id === ACME)!.vendorIds;
    const victim = env.sb.state.vendors.get(ids[2]!)! as unknown as Record<string, unknown>;
    const saved = victim.name;
    victim.name = 12345; // what a Procore-side bug would look like on the wire
    try {
      const seen: number[] = [];
      const client = (await import('../src/index')).createProcoreClient({
        hosts: { baseUrl: env.sb.url },
        token: env.token,
        onInvalid: ({ invalid }) => seen.push(...invalid.map((i) => Number(i.id))),
      });
      const r = await client.company(ACME).vendors.list({ perPage: 3 });
      expect(r.invalid).toEqual([{ id: ids[2], issues: [expect.stringMatching(/^name: /)] }]);
      const got = r.items.map((v) => v.id);
      expect(got).not.toContain(ids[2]);
      expect(got).toEqual(expect.arrayContaining(ids.filter((id) => id !== ids[2])));
      expect(got.length + 1).toBe(env.sb.state.vendorsByCompany.get(ACME)!.size);
      expect(seen).toEqual([ids[2]]);
      await expect(client.company(ACME).vendors.get(ids[2]!)).rejects.toMatchObject({ name: 'InvalidRecordError', record: { id: ids[2] } });
    } finally {
      victim.name = saved;
    }
  });
});
