import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The harness plays Procore: it reads the app's side-panel component from the product's manifest
 * (procore-app/manifest.json — the one source of truth) and interpolates iframe_src the way
 * Procore does. It reads only the JSON, never the product's code.
 */
const MANIFEST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../procore-app/manifest.json');

export interface SidePanelComponent {
  name: string;
  views: string[];
  iframeSrc: string;
}

export function readSidePanel(file = MANIFEST): SidePanelComponent {
  const m = JSON.parse(readFileSync(file, 'utf8')) as {
    components?: { iframe?: { instances?: Array<{ type?: string; name?: string; views?: string[]; iframe_src?: string }> } };
  };
  const panel = m.components?.iframe?.instances?.find((i) => i.type === 'sidepanel');
  if (!panel?.iframe_src || !panel.views?.length) throw new Error(`${file}: no sidepanel component with iframe_src and views`);
  return { name: panel.name ?? 'App', views: panel.views, iframeSrc: panel.iframe_src };
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
