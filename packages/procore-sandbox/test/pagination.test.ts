import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcoreSandbox } from '../src/index';
import { api, dmsaToken, start, type Api } from './helpers';

let sb: ProcoreSandbox;
let call: Api;
beforeAll(async () => {
  // One company, 23 vendors: enough pages to see every Link rule with per_page=5.
  sb = await start({
    seed: { companies: 1, projectsPerCompany: 2, vendors: 23, vendorsPerProject: 5, commitmentsPerProject: 12, insurancesPerVendor: 0 },
  });
  call = api(sb, await dmsaToken(sb));
});
afterAll(() => sb.close());

function rels(link: string | null): Record<string, URL> {
  const out: Record<string, URL> = {};
  for (const part of (link ?? '').split(',')) {
    const m = /<([^>]+)>;\s*rel="(\w+)"/.exec(part.trim());
    if (m) out[m[2]!] = new URL(m[1]!);
  }
  return out;
}

describe('v1 pagination headers', () => {
  it('sets Total and Per-Page and follows the documented Link rules', async () => {
    const page = async (n: number) => {
      const r = await call(`/rest/v1.0/vendors?company_id=1001&per_page=5&page=${n}&filters[search]=`);
      return { r, rels: rels(r.headers.get('link')) };
    };
    const p1 = await page(1);
    expect(p1.r.headers.get('total')).toBe('23');
    expect(p1.r.headers.get('per-page')).toBe('5');
    expect(p1.r.body).toHaveLength(5);
    expect(Object.keys(p1.rels).sort()).toEqual(['last', 'next']);
    expect(p1.rels.next!.searchParams.get('page')).toBe('2');
    expect(p1.rels.last!.searchParams.get('page')).toBe('5');
    // Other query parameters are kept so rel="next" can be followed as is.
    expect(p1.rels.next!.searchParams.get('company_id')).toBe('1001');
    expect(p1.rels.next!.searchParams.get('per_page')).toBe('5');

    const p2 = await page(2);
    expect(Object.keys(p2.rels).sort()).toEqual(['first', 'last', 'next']);
    const p3 = await page(3);
    expect(Object.keys(p3.rels).sort()).toEqual(['first', 'last', 'next', 'prev']);
    expect(p3.rels.prev!.searchParams.get('page')).toBe('2');
    // in the order of the pagination guide's example: first, prev, last, next
    expect([...(p3.r.headers.get('link') ?? '').matchAll(/rel="(\w+)"/g)].map((m) => m[1])).toEqual(['first', 'prev', 'last', 'next']);
    const p5 = await page(5);
    expect(Object.keys(p5.rels).sort()).toEqual(['first', 'last', 'prev']);
    expect(p5.r.body).toHaveLength(3);
    const beyond = await page(9);
    expect(beyond.r.body).toEqual([]);
    expect(beyond.r.headers.get('total')).toBe('23');
  });

  it('following rel="next" visits every record exactly once', async () => {
    const seen: number[] = [];
    let next: string | undefined = `${sb.url}/rest/v1.0/vendors?company_id=1001&per_page=7`;
    let pages = 0;
    while (next) {
      const r = await call(next.slice(sb.url.length));
      seen.push(...r.body.map((v: { id: number }) => v.id));
      next = rels(r.headers.get('link')).next?.toString();
      pages++;
    }
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(23);
    expect(seen).toHaveLength(23);
  });

  it('defaults per_page to 100, caps it silently, and rejects nonsense', async () => {
    const r = await call('/rest/v1.0/vendors?company_id=1001');
    expect(r.headers.get('per-page')).toBe('100');
    expect(r.headers.get('link')).not.toContain('rel="next"');
    const capped = await call('/rest/v1.1/projects?company_id=1001&per_page=5000');
    expect(capped.headers.get('per-page')).toBe('300');
    expect((await call('/rest/v1.0/vendors?company_id=1001&page=0')).status).toBe(400);
    expect((await call('/rest/v1.0/vendors?company_id=1001&per_page=abc')).status).toBe(400);
  });
});

describe('filters', () => {
  it('filters[status] (single and array) on contracts, with enum validation', async () => {
    const projectId = sb.seed.companies[0]!.projectIds[0]!;
    const all = (await call(`/rest/v1.0/work_order_contracts?project_id=${projectId}`)).body as Array<{ status: string }>;
    const approved = (await call(`/rest/v1.0/work_order_contracts?project_id=${projectId}&filters[status]=Approved`)).body as Array<{
      status: string;
    }>;
    expect(approved.length).toBe(all.filter((c) => c.status === 'Approved').length);
    expect(approved.every((c) => c.status === 'Approved')).toBe(true);
    const two = (await call(`/rest/v1.0/work_order_contracts?project_id=${projectId}&filters[status][]=Approved&filters[status][]=Draft`))
      .body as Array<{ status: string }>;
    expect(two.length).toBe(all.filter((c) => c.status === 'Approved' || c.status === 'Draft').length);
    expect((await call(`/rest/v1.0/work_order_contracts?project_id=${projectId}&filters[status]=Received`)).status).toBe(400);
  });

  it('filters[updated_at] ranges: datetime, date-only, quoted, inclusive bounds', async () => {
    const c = sb.admin.updateCommitment(sb.state.commitmentsByProject.get(sb.seed.companies[0]!.projectIds[0]!)!.values().next().value!, {
      title: 'Touched',
    });
    const path = c.type === 'WorkOrderContract' ? 'work_order_contracts' : 'purchase_order_contracts';
    const ids = async (q: string) =>
      ((await call(`/rest/v1.0/${path}?project_id=${c.project_id}&${q}`)).body as Array<{ id: number }>).map((x) => x.id);
    const at = c.updated_at;
    expect(await ids(`filters[updated_at]=${at}...${at}`)).toEqual([c.id]);
    const day = at.slice(0, 10);
    expect(await ids(`filters[updated_at]=${day}...${day}`)).toContain(c.id);
    expect(await ids(`filters[updated_at]=${encodeURIComponent(`"${at}"...${at}`)}`)).toEqual([c.id]);
    expect(await ids('filters[updated_at]=2000-01-01...2000-12-31')).toEqual([]);
    const t = new Date(Date.parse(at) + 1000).toISOString().replace('.000Z', '+00:00');
    expect(await ids(`filters[updated_at]=${encodeURIComponent(t)}...2100-01-01`)).not.toContain(c.id);
    expect((await call(`/rest/v1.0/${path}?project_id=${c.project_id}&filters[updated_at]=yesterday`)).status).toBe(400);
  });

  it('filters[origin_id], filters[id][] and include_deleted', async () => {
    const projectId = sb.seed.companies[0]!.projectIds[1]!;
    const list = (await call(`/rest/v1.0/work_order_contracts?project_id=${projectId}`)).body as Array<{ id: number }>;
    const target = list[0]!;
    sb.admin.updateCommitment(target.id, { origin_id: 'erp-42' });
    const byOrigin = (await call(`/rest/v1.0/work_order_contracts?project_id=${projectId}&filters[origin_id]=erp-42`)).body;
    expect(byOrigin.map((x: { id: number }) => x.id)).toEqual([target.id]);
    const byIds = (await call(`/rest/v1.0/work_order_contracts?project_id=${projectId}&filters[id][]=${target.id}&filters[id][]=1`)).body;
    expect(byIds.map((x: { id: number }) => x.id)).toEqual([target.id]);
    sb.admin.deleteCommitment(target.id);
    const after = (await call(`/rest/v1.0/work_order_contracts?project_id=${projectId}`)).body as Array<{ id: number }>;
    expect(after.map((x) => x.id)).not.toContain(target.id);
    const only = (await call(`/rest/v1.0/work_order_contracts?project_id=${projectId}&filters[include_deleted]=only`)).body;
    expect(only.map((x: { id: number; deleted_at: string }) => x.id)).toEqual([target.id]);
    expect(only[0].deleted_at).toBeTruthy();
    const withDeleted = (await call(`/rest/v1.0/work_order_contracts?project_id=${projectId}&filters[include_deleted]=with`)).body;
    expect(withDeleted).toHaveLength(list.length);
  });

  it('projects: by_status defaults to Active; vendors: filters[search]', async () => {
    const active = (await call('/rest/v1.0/projects?company_id=1001&filters[by_status]=All')).body as Array<{ active: boolean }>;
    const def = (await call('/rest/v1.0/projects?company_id=1001')).body as Array<{ active: boolean }>;
    expect(def.every((p) => p.active)).toBe(true);
    expect(def.length).toBe(active.filter((p) => p.active).length);
    const v = (await call('/rest/v1.0/vendors?company_id=1001&per_page=1')).body[0] as { name: string };
    const found = (await call(`/rest/v1.0/vendors?company_id=1001&filters[search]=${encodeURIComponent(v.name.toUpperCase())}`)).body;
    expect(found.map((x: { name: string }) => x.name)).toContain(v.name);
  });
});
