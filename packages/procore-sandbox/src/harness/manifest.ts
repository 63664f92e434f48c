import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The harness plays Procore: it reads the app's side-panel component from the product's manifest
 * (procore-app/manifest.json — the one source of truth) and interpolates source_url the way
 * Procore does. It reads only the JSON, never the product's code.
 */
const MANIFEST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../procore-app/manifest.json');

export interface SidePanelComponent {
  views: string[];
  iframeSrc: string;
}

interface ManifestJson {
  components?: {
    sidepanel?: { instances?: Array<{ views?: string[]; source_url?: string }> };
    oauth?: {
      instances?: Array<{ grant_type?: string; permissions?: { company?: Record<string, string>; project?: Record<string, string> } }>;
    };
  };
}
const load = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as ManifestJson;

export function readSidePanel(file = MANIFEST): SidePanelComponent {
  const panel = load(file).components?.sidepanel?.instances?.[0];
  if (!panel?.source_url || !panel.views?.length) throw new Error(`${file}: no sidepanel component with source_url and views`);
  return { views: panel.views, iframeSrc: panel.source_url };
}

/**
 * The tool levels the manifest's DMSA (client_credentials) component requests, as Procore's
 * permission builder spells them ('readonly' | 'standard' | 'admin'). The demo seed installs
 * exactly these, the way an admin accepting the app's permissions would.
 */
export function readDmsaPermissions(file = MANIFEST): { company: Record<string, string>; project: Record<string, string> } {
  const dmsa = load(file).components?.oauth?.instances?.find((i) => i.grant_type === 'client_credentials');
  if (!dmsa?.permissions) throw new Error(`${file}: no client_credentials component with permissions`);
  return { company: { ...dmsa.permissions.company }, project: { ...dmsa.permissions.project } };
}

/**
 * Procore's URL interpolation: `{{procore.company.id}}` and friends, values URI-encoded before
 * substitution; unknown placeholders become empty. `hostOverride` swaps the manifest's https host
 * for where the panel runs locally (the demo serves it on http://localhost:3000).
 */
export function interpolate(src: string, values: Record<string, string>, hostOverride?: string): string {
  const filled = src.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, key: string) => encodeURIComponent(values[key] ?? ''));
  if (!hostOverride) return filled;
  const u = new URL(filled);
  return hostOverride.replace(/\/$/, '') + u.pathname + u.search + u.hash;
}
