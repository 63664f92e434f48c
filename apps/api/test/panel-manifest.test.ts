import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dmsaPermissions } from '@mycoi/contracts';
import { CALL_PERMISSIONS, allows, createProcoreClient, staticToken } from '@mycoi/procore';
import { interpolate, readDmsaPermissions, readSidePanel } from '../../../packages/procore-sandbox/src/harness';
import { manifestPermissions } from '../../../packages/procore-sandbox/src/seed/demo';
import { MANIFEST_PATH, readManifest, resolveIframeSrc } from '../src/panel/manifest';

// procore-app/manifest.json is the one source of truth for the panel's URL and views and for the
// DMSA's permissions (the API, the sandbox harness and the demo seed all read it); this keeps it
// in Procore's v4.1 shape and makes sure it grants every call the product makes.

// View keys from Procore's side_panel_view_keys documentation that make sense for us.
const DOCUMENTED_VIEWS = new Set([
  'commitments.work_order_contracts.detail',
  'commitments.work_order_contracts.edit',
  'commitments.purchase_order_contracts.detail',
  'commitments.purchase_order_contracts.edit',
  'project_directory.vendors.edit',
]);

/** Every API method of the typed client, named like CALL_PERMISSIONS' keys. */
function clientMethods(): string[] {
  const client = createProcoreClient({ hosts: { baseUrl: 'http://127.0.0.1:9' }, token: staticToken('unused') });
  const out: string[] = [];
  const skip = new Set(['budget', 'canSpend', 'stats', 'companyId', 'path']);
  const walk = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      if (skip.has(k)) continue;
      if (typeof v === 'function') {
        if (k === 'company') walk(v(1001), `${prefix}company().`);
        else if (k === 'projectVendors') walk(v(5001), `${prefix}projectVendors().`);
        else if (k === 'insurances') {
          for (const t of [
            { level: 'company' },
            { level: 'company_vendor', vendorId: 1 },
            { level: 'project', projectId: 1 },
            { level: 'project_vendor', projectId: 1, vendorId: 1 },
          ]) {
            walk(v(t), `${prefix}insurances(${t.level}).`);
          }
        } else out.push(prefix + k);
      } else if (v && typeof v === 'object') walk(v as Record<string, unknown>, `${prefix}${k}.`);
    }
  };
  walk(client as unknown as Record<string, unknown>, '');
  return out.sort();
}

describe('procore-app/manifest.json', () => {
  const { manifest, panel } = readManifest();
  const rawText = readFileSync(MANIFEST_PATH, 'utf8');
  const raw = JSON.parse(rawText);

  it('is in the v4.1 shape with only keys Procore has, both grant types and readonly spelled as Procore does', () => {
    expect(Object.keys(raw).sort()).toEqual(['components', 'post_installation_instruction', 'schema_version']);
    expect(raw.schema_version).toBe('4.1');
    expect(Object.keys(raw.components).sort()).toEqual(['oauth', 'sidepanel']);
    expect(manifest.components.oauth.instances.map((i) => i.grant_type).sort()).toEqual(['authorization_code', 'client_credentials']);
    expect(rawText).not.toMatch(/read_only|x_mycoi|"name"|"version"/);
    const levels = Object.values(dmsaPermissions(manifest)).flatMap((tools) => Object.values(tools));
    expect(levels.every((l) => ['readonly', 'standard', 'admin'].includes(l!))).toBe(true);
    expect(levels).not.toContain('admin'); // Procore advises against admin for service accounts
  });

  it('has one side panel on commitments and Project Directory vendors with an interpolated https source_url', () => {
    expect(panel.views.every((v) => DOCUMENTED_VIEWS.has(v))).toBe(true);
    expect(panel.views).toEqual(
      expect.arrayContaining([
        'commitments.work_order_contracts.detail',
        'commitments.purchase_order_contracts.detail',
        'project_directory.vendors.edit',
      ]),
    );
    expect(panel.iframeSrc).toMatch(/^https:\/\/[^/]+\/panel\/\?/);
    expect(panel.iframeSrc).toContain('companyId={{procore.company.id}}');
    expect(panel.iframeSrc).toContain('projectId={{procore.project.id}}');
  });

  it('maps every method of the Procore client to a tool and level, and the DMSA permissions allow each one', () => {
    const methods = clientMethods();
    expect(methods.length).toBeGreaterThan(60);
    // both directions: a new client method needs a row, a row needs a method
    expect(methods.filter((m) => !(m in CALL_PERMISSIONS))).toEqual([]);
    expect(Object.keys(CALL_PERMISSIONS).filter((k) => !methods.includes(k))).toEqual([]);
    const granted = dmsaPermissions(manifest);
    const refused = Object.entries(CALL_PERMISSIONS)
      .filter(([, need]) => !allows(granted, need))
      .map(([k]) => k);
    expect(refused).toEqual([]);
    // the per-commitment compliance write is the reason commitments is standard, not readonly
    expect(CALL_PERMISSIONS['company().commitments.compliance.update']).toEqual({
      level: 'project',
      tool: 'commitments',
      access: 'standard',
    });
    expect(
      allows(
        { ...granted, project: { ...granted.project, commitments: 'readonly' } },
        CALL_PERMISSIONS['company().commitments.compliance.update']!,
      ),
    ).toBe(false);
    // and nothing more than needed: every requested tool is used at its level by some call
    for (const [level, tools] of Object.entries(granted)) {
      for (const [tool, access] of Object.entries(tools)) {
        const used = Object.values(CALL_PERMISSIONS).some((n) => n && n.level === level && n.tool === tool && n.access === access);
        expect(used, `${level}.${tool}: ${access} is requested but no call needs it`).toBe(true);
      }
    }
  });

  it('is what the demo seed installs for the demo DMSA (Procore spelling mapped to the sandbox one)', () => {
    const granted = dmsaPermissions(manifest);
    expect(readDmsaPermissions()).toEqual(granted);
    const seeded = manifestPermissions();
    const spelled = (t: Record<string, string | undefined>) =>
      Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v === 'readonly' ? 'read_only' : v]));
    expect(seeded).toEqual({ company: spelled(granted.company), project: spelled(granted.project) });
  });

  it('is read the same way by the harness, which interpolates like Procore', () => {
    const h = readSidePanel();
    expect(h.views).toEqual(panel.views);
    expect(h.iframeSrc).toBe(panel.iframeSrc);
    const url = interpolate(h.iframeSrc, { 'procore.company.id': '1001', 'procore.project.id': 'a/b c' }, 'http://localhost:3000/');
    expect(url).toBe('http://localhost:3000/panel/?companyId=1001&projectId=a%2Fb%20c');
    expect(resolveIframeSrc(panel.iframeSrc, 'http://localhost:3000')).toBe(
      'http://localhost:3000/panel/?companyId={{procore.company.id}}&projectId={{procore.project.id}}',
    );
  });

  it('rejects extra keys, the legacy read_only spelling, an undocumented view and an http source_url', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'manifest-'));
    const write = (m: unknown) => {
      const f = path.join(dir, `${Math.random()}.json`);
      writeFileSync(f, JSON.stringify(m));
      return f;
    };
    const clone = () => JSON.parse(rawText);
    const dmsa = (m: {
      components: {
        oauth: { instances: Array<{ grant_type: string; name?: string; permissions?: Record<string, Record<string, string>> }> };
      };
    }) => m.components.oauth.instances.find((i) => i.grant_type === 'client_credentials')!;
    const cases: Array<[string, (m: ReturnType<typeof clone>) => void]> = [
      ['x_mycoi', (m) => void (m.x_mycoi = { purpose: 'notes' })],
      ['app name', (m) => void (m.app_manifest = { name: 'myCOI' })],
      ['oauth name', (m) => void (dmsa(m).name = 'DMSA')],
      ['read_only', (m) => void (dmsa(m).permissions!.project!.commitments = 'read_only')],
      ['unknown tool', (m) => void (dmsa(m).permissions!.company!.budget = 'readonly')],
      ['http', (m) => void (m.components.sidepanel.instances[0].source_url = 'http://x.test/panel/')],
      ['view', (m) => void (m.components.sidepanel.instances[0].views = ['Commitments Detail'])],
      ['legacy iframe', (m) => void (m.components.iframe = { instances: [] })],
    ];
    for (const [name, mutate] of cases) {
      const m = clone();
      mutate(m);
      expect(() => readManifest(write(m)), name).toThrow();
    }
    expect(() => readManifest(write(clone()))).not.toThrow();
  });
});
