import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The one source of truth for the panel's URL and views: procore-app/manifest.json at the repo root. */
export const MANIFEST_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../procore-app/manifest.json');

const SidePanel = z.object({
  name: z.string().min(1),
  type: z.literal('sidepanel'),
  views: z.array(z.string().regex(/^[a-z_]+\.[a-z_]+\.(new|detail|edit|list|all)$/)).min(1),
  iframe_src: z.url().refine((u) => u.startsWith('https://'), 'iframe_src must be https'),
});

export const Manifest = z.object({
  schema_version: z.string(),
  components: z.object({
    oauth: z.object({
      instances: z
        .array(
          z.object({
            grant_type: z.literal('client_credentials'),
            permissions: z.object({
              company: z.record(z.string(), z.enum(['read_only', 'standard', 'admin'])),
              project: z.record(z.string(), z.enum(['read_only', 'standard', 'admin'])),
            }),
          }),
        )
        .length(1),
    }),
    iframe: z.object({ instances: z.array(z.object({ type: z.string() }).passthrough()).min(1) }),
  }),
  x_mycoi: z.object({ permission_reasons: z.record(z.string(), z.string().min(20)) }).passthrough(),
});
export type Manifest = z.infer<typeof Manifest>;

export interface PanelManifest {
  views: string[];
  /** iframe_src as written, with Procore's {{…}} placeholders. */
  iframeSrc: string;
}

export function readManifest(file = MANIFEST_PATH): { manifest: Manifest; panel: PanelManifest } {
  const manifest = Manifest.parse(JSON.parse(readFileSync(file, 'utf8')));
  const panels = manifest.components.iframe.instances.filter((i) => i.type === 'sidepanel');
  if (panels.length !== 1) throw new Error('The manifest must have exactly one sidepanel component');
  const panel = SidePanel.parse(panels[0]);
  return { manifest, panel: { views: panel.views, iframeSrc: panel.iframe_src } };
}

/**
 * iframe_src with its host replaced by this deployment's PUBLIC_URL: production serves the panel
 * at the manifest's host; the demo and tests serve it wherever they listen. Placeholders stay.
 */
export function resolveIframeSrc(iframeSrc: string, publicUrl: string): string {
  const m = /^https:\/\/[^/]+(\/.*)$/.exec(iframeSrc);
  if (!m) throw new Error('iframe_src must be an absolute https URL with a path');
  return publicUrl.replace(/\/$/, '') + m[1];
}
