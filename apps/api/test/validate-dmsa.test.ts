import { describe, expect, it } from 'vitest';
import type { Answer, ProcoreSetupClient } from '../src/tenants/procore-setup';
import { MAX_PROJECT_PROBES, validateDmsa } from '../src/tenants/validate-dmsa';

// The projectAccess check's edge cases over a stub of the setup client (the HTTP path with the real
// sandboxes is validate-project-access.test.ts): no answer from Procore, the probe limit, long lists.

const ok = <T>(data: T): Answer<T> => ({ ok: true, status: 200, data, total: null });
const no = (status: number): Answer<never> => ({ ok: false, status, message: `answered ${status}` });

function stub(permitted: string[], directory: (id: string) => Answer<unknown[]>) {
  const probed: string[] = [];
  const client = {
    clientCredentials: async () => ok('token'),
    companies: async () => ok([{ id: '1001', name: 'Acme' }]),
    projects: async () => ok(permitted.map((id) => ({ id, name: `Project ${id}`, active: id !== '5004' }))),
    vendors: async () => ok([]),
    commitments: async () => ok([]),
    projectDirectory: async (_t: string, _c: string, id: string) => {
      probed.push(id);
      return directory(id);
    },
  } as unknown as ProcoreSetupClient;
  return { client, probed };
}
const creds = { clientId: 'c', clientSecret: 's' };
const accessOf = (r: Awaited<ReturnType<typeof validateDmsa>>) => r.result.checks.find((c) => c.id === 'projectAccess')!;

describe('projectAccess check', () => {
  it('an inactive permitted project is reachable, not forbidden, and costs no probe', async () => {
    const { client, probed } = stub(['5001', '5004'], () => no(403));
    const r = await validateDmsa(client, creds, '1001', { ids: ['5004'], names: {} });
    expect(accessOf(r)).toMatchObject({ ok: true, detail: 'The project linked to myCOI can be reached' });
    expect(probed).toEqual([]);
    expect(r.result.checks.find((c) => c.id === 'projects')!.detail).toBe('1 permitted project'); // active ones
  });

  it('no answer for a project is a warning to try again, and nothing is known about it', async () => {
    const { client } = stub(['5001'], () => no(503));
    const r = await validateDmsa(client, creds, '1001', { ids: ['5001', '5002'], names: { '5002': 'Oak' } });
    expect(r.result.ok).toBe(true);
    expect(accessOf(r)).toMatchObject({ ok: false, severity: 'warning', fixHint: 'Procore answered 503; try again later.' });
    expect(accessOf(r).detail).toBe('Access to Oak (#5002) could not be confirmed: Procore did not answer.');
    expect(r.projects).toMatchObject({ forbidden: [], reachable: ['5001'], unknown: ['5002'] });
  });

  it(`probes at most ${MAX_PROJECT_PROBES} projects; the rest are judged by the permitted list; the text lists ten names`, async () => {
    const ids = Array.from({ length: 30 }, (_, i) => String(6000 + i));
    const { client, probed } = stub(['5001'], () => no(403));
    const r = await validateDmsa(client, creds, '1001', { ids, names: { '6000': 'First' } });
    expect(probed).toHaveLength(MAX_PROJECT_PROBES);
    expect(r.projects!.forbidden.map((f) => f.id)).toEqual(ids);
    const c = accessOf(r);
    expect(c.detail).toMatch(/^No access to 30 of the 30 projects linked to myCOI: First \(#6000\), #6001, .*#6009 and 20 more\./);
    expect(c.fixHint).toMatch(/^Add the myCOI service account to projects First, #6001, .* and 20 more in Procore's Project Directory/);
  });

  it('one project: "the project"; deleted projects are noted, never a warning of their own', async () => {
    const { client } = stub(['5001'], (id) => (id === '5999' ? no(404) : no(403)));
    const one = await validateDmsa(client, creds, '1001', { ids: ['5002'], names: { '5002': 'Oak' } });
    expect(accessOf(one).detail).toMatch(/^No access to the project linked to myCOI: Oak \(#5002\)\. Compliance for it waits/);
    const gone = await validateDmsa(client, creds, '1001', { ids: ['5999'], names: {} });
    expect(accessOf(gone)).toMatchObject({ ok: true, detail: 'Project #5999 no longer exists in Procore.' });
    expect(gone.projects).toMatchObject({ gone: ['5999'], forbidden: [] });
    const both = await validateDmsa(client, creds, '1001', { ids: ['5001', '5999'], names: {} });
    expect(accessOf(both)).toMatchObject({
      ok: true,
      detail: 'The project linked to myCOI can be reached. Project #5999 no longer exists in Procore.',
    });
  });

  it('without the permitted list the check is skipped, not failed', async () => {
    const { client } = stub([], () => no(403));
    (client as unknown as { projects: () => Promise<Answer<never>> }).projects = async () => no(403);
    const r = await validateDmsa(client, creds, '1001', { ids: ['5002'], names: {} });
    expect(accessOf(r)).toMatchObject({ ok: false, skipped: true });
    expect(r.projects).toBeNull();
  });
});
