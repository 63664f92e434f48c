import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { chunk, createProcoreClient, filterParams, parseLinkHeader, rangeValue, resolveHosts, staticToken } from '../src/index';
import { pageOf } from '../src/pagination';

describe('parseLinkHeader', () => {
  it("parses Procore's multi-line Link header", () => {
    const h =
      '<https://api.procore.com/rest/v1.0/punch_items?page=1&per_page=5>; rel="first",\n      <https://api.procore.com/rest/v1.0/punch_items?page=2&per_page=5>; rel="prev", <https://api.procore.com/rest/v1.0/punch_items?page=30&per_page=5>; rel="last", <https://api.procore.com/rest/v1.0/punch_items?page=4&per_page=5>; rel="next"';
    const l = parseLinkHeader(h);
    expect(l.next).toBe('https://api.procore.com/rest/v1.0/punch_items?page=4&per_page=5');
    expect(l.last).toMatch(/page=30/);
    expect(l.first).toMatch(/page=1&/);
    expect(l.prev).toMatch(/page=2&/);
    expect(pageOf(l.next!)).toBe(4);
  });
  it('handles last page (no next), empty, unquoted rel, commas in URLs and junk', () => {
    expect(parseLinkHeader('<https://x/a?page=1>; rel="first", <https://x/a?page=3>; rel="last"').next).toBeUndefined();
    expect(parseLinkHeader(undefined)).toEqual({});
    expect(parseLinkHeader('')).toEqual({});
    expect(parseLinkHeader('<https://x/a?page=2>; rel=next').next).toBe('https://x/a?page=2');
    expect(parseLinkHeader('<https://x/a?ids=1,2&page=2>; rel="next"').next).toBe('https://x/a?ids=1,2&page=2');
    expect(parseLinkHeader('garbage; rel="next"')).toEqual({});
    expect(parseLinkHeader('<https://x/a?page=2>; title="t"; rel="next prefetch"')).toMatchObject({
      next: 'https://x/a?page=2',
      prefetch: 'https://x/a?page=2',
    });
  });
});

describe('filters', () => {
  it('builds Procore filter params and ranges', () => {
    expect(rangeValue({ from: new Date('2026-01-01T00:00:00.123Z'), to: '2026-02-01T00:00:00Z' })).toBe(
      '2026-01-01T00:00:00Z...2026-02-01T00:00:00Z',
    );
    expect(rangeValue({ to: '2026-02-01' })).toBe('1970-01-01T00:00:00Z...2026-02-01');
    expect(filterParams({ status: ['Approved', 'Draft'], originId: 'o-1', ids: [1, 2], includeDeleted: 'with' })).toEqual({
      'filters[status]': ['Approved', 'Draft'],
      'filters[origin_id]': 'o-1',
      'filters[id]': [1, 2],
      'filters[include_deleted]': 'with',
    });
    expect(filterParams({ ids: [] })).toEqual({});
  });
});

describe('hosts and batching', () => {
  it('resolves environments and explicit URLs', () => {
    expect(resolveHosts('production')).toEqual({ loginUrl: 'https://login.procore.com', apiUrl: 'https://api.procore.com' });
    expect(resolveHosts('developer_sandbox').loginUrl).toBe('https://login-sandbox.procore.com');
    expect(resolveHosts('monthly_sandbox').apiUrl).toBe('https://api-monthly.procore.com');
    expect(resolveHosts({ baseUrl: 'http://127.0.0.1:4000/' })).toEqual({
      loginUrl: 'http://127.0.0.1:4000',
      apiUrl: 'http://127.0.0.1:4000',
    });
    expect(() => resolveHosts('staging' as never)).toThrow(/unknown Procore environment/);
  });
  it('chunks into ≤ 1000', () => {
    expect(chunk(Array.from({ length: 2001 }, (_, i) => i)).map((c) => c.length)).toEqual([1000, 1000, 1]);
    expect(chunk([])).toEqual([]);
  });
});

describe('Link safety', () => {
  // The sandbox only emits well-formed links, so a hostile server is played by a bare node:http.
  it('refuses to follow rel="next" to another origin (the token would leak) and detects loops', async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.url!);
      const link = req.url!.startsWith('/rest/v1.0/companies')
        ? '<https://attacker.example/steal?page=2>; rel="next"'
        : `<${req.url}>; rel="next"`;
      res.writeHead(200, { 'content-type': 'application/json', link }).end('[]');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const client = createProcoreClient({
        hosts: { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
        token: staticToken('tok-123456'),
      });
      await expect(client.companies.list()).rejects.toThrow(/another origin/);
      await expect(client.company(1).projects.list()).rejects.toThrow(/pagination loop/);
      expect(seen.filter((u) => u.startsWith('/rest/v1.0/companies'))).toHaveLength(1);
      expect(seen.filter((u) => u.startsWith('/rest/v1.0/projects'))).toHaveLength(2);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
