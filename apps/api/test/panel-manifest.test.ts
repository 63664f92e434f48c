import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpolate, readSidePanel } from '../../../packages/procore-sandbox/src/harness';
import { MANIFEST_PATH, readManifest, resolveIframeSrc } from '../src/panel/manifest';

// procore-app/manifest.json is the one source of truth for the panel's URL and views (the API and
// the sandbox harness both read it); this keeps it valid and least-privilege.

// View keys from Procore's side_panel_view_keys documentation that make sense for us.
const DOCUMENTED_VIEWS = new Set([
  'commitments.work_order_contracts.detail', 'commitments.work_order_contracts.edit',
  'commitments.purchase_order_contracts.detail', 'commitments.purchase_order_contracts.edit',
  'project_directory.vendors.edit',
]);

describe('procore-app/manifest.json', () => {
  const { manifest, panel } = readManifest();
  const raw = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8'));

  it('has one side panel on commitments and Project Directory vendors with an interpolated https iframe_src', () => {
    expect(panel.views.every((v) => DOCUMENTED_VIEWS.has(v))).toBe(true);
    expect(panel.views).toEqual(expect.arrayContaining(['commitments.work_order_contracts.detail', 'commitments.purchase_order_contracts.detail', 'project_directory.vendors.edit']));
    expect(panel.iframeSrc).toMatch(/^https:\/\/[^/]+\/panel\/\?/);
    expect(panel.iframeSrc).toContain('companyId={{procore.company.id}}');
    expect(panel.iframeSrc).toContain('projectId={{procore.project.id}}');
    expect(raw.schema_version).toBe('3.2'); // side panels need 3.2 in the legacy JSON form
  });

  it('has the DMSA data connector with least privilege, and a reason for every permission', () => {
    const [dmsa] = manifest.components.oauth.instances;
    const perms = Object.entries(dmsa!.permissions).flatMap(([level, tools]) => Object.entries(tools).map(([tool, lvl]) => [`${level}.${tool}`, lvl] as const));
    expect(Object.fromEntries(perms)).toEqual({
      'company.directory': 'standard', 'company.webhooks': 'standard', 'project.directory': 'standard', 'project.commitments': 'read_only',
    });
    expect(perms.some(([, lvl]) => lvl === 'admin')).toBe(false);
    expect(Object.keys(manifest.x_mycoi.permission_reasons).sort()).toEqual(perms.map(([k]) => k).sort());
    for (const [key, lvl] of perms) expect(manifest.x_mycoi.permission_reasons[key]).toMatch(new RegExp(`^${lvl}:`));
  });

  it('is read the same way by the harness, which interpolates like Procore', () => {
    const h = readSidePanel();
    expect(h.views).toEqual(panel.views);
    expect(h.iframeSrc).toBe(panel.iframeSrc);
    const url = interpolate(h.iframeSrc, { 'procore.company.id': '1001', 'procore.project.id': 'a/b c' }, 'http://localhost:3000/');
    expect(url).toBe('http://localhost:3000/panel/?companyId=1001&projectId=a%2Fb%20c');
    expect(resolveIframeSrc(panel.iframeSrc, 'http://localhost:3000')).toBe('http://localhost:3000/panel/?companyId={{procore.company.id}}&projectId={{procore.project.id}}');
  });

  it('rejects a manifest with an undocumented view, an http iframe_src or a permission without a reason', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'manifest-'));
    const write = (m: unknown) => {
      const f = path.join(dir, `${Math.random()}.json`);
      writeFileSync(f, JSON.stringify(m));
      return f;
    };
    const clone = () => JSON.parse(JSON.stringify(raw));
    const http = clone();
    http.components.iframe.instances[0].iframe_src = 'http://x.test/panel/';
    expect(() => readManifest(write(http))).toThrow();
    const badView = clone();
    badView.components.iframe.instances[0].views = ['Commitments Detail'];
    expect(() => readManifest(write(badView))).toThrow();
    const noReason = clone();
    noReason.x_mycoi.permission_reasons['project.directory'] = 'x';
    expect(() => readManifest(write(noReason))).toThrow();
  });
});
