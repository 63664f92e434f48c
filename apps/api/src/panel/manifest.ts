import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcoreManifest } from '@mycoi/contracts';

/** The one source of truth for the panel's URL and views: procore-app/manifest.json at the repo root. */
export const MANIFEST_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../procore-app/manifest.json');

export interface PanelManifest {
  views: string[];
  /** The side panel's source_url as written, with Procore's {{…}} placeholders. */
  iframeSrc: string;
}

export function readManifest(file = MANIFEST_PATH): { manifest: ProcoreManifest; panel: PanelManifest } {
  const manifest = ProcoreManifest.parse(JSON.parse(readFileSync(file, 'utf8')));
  const panel = manifest.components.sidepanel.instances[0]!; // the schema requires exactly one
  return { manifest, panel: { views: panel.views, iframeSrc: panel.source_url } };
}

/**
 * source_url with its host replaced by this deployment's PUBLIC_URL: production serves the panel
 * at the manifest's host; the demo and tests serve it wherever they listen. Placeholders stay.
 */
export function resolveIframeSrc(iframeSrc: string, publicUrl: string): string {
  const m = /^https:\/\/[^/]+(\/.*)$/.exec(iframeSrc);
  if (!m) throw new Error('source_url must be an absolute https URL with a path');
  return publicUrl.replace(/\/$/, '') + m[1];
}
