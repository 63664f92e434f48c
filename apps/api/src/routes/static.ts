import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { errorBody } from '../http/errors';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface WebAppMount {
  /** URL prefix, e.g. `/console`. The app is served at `${prefix}/`. */
  prefix: string;
  /** Absolute path of the Vite build output. */
  distDir: string;
  /** Workspace name, for the "not built" hint. */
  workspace: string;
}

export const WEB_APPS: WebAppMount[] = [
  { prefix: '/console', distDir: path.join(repoRoot, 'apps/console/dist'), workspace: '@mycoi/console' },
  { prefix: '/panel', distDir: path.join(repoRoot, 'apps/side-panel/dist'), workspace: '@mycoi/side-panel' },
];

/**
 * Serves one Vite-built single-page app. Hashed assets are cached for a year; index.html is never
 * cached so a deploy is picked up at once. Any extensionless path under the prefix gets index.html
 * (client-side routing, e.g. /console/ops); a missing file with an extension is a real 404.
 */
export function webAppRouter({ prefix, distDir, workspace }: WebAppMount): Router {
  const r = Router();
  const indexFile = path.join(distDir, 'index.html');

  // `/console?companyId=1` → `/console/?companyId=1`: relative asset URLs need the trailing slash.
  r.get(prefix, (req, res, next) => {
    const q = req.originalUrl.indexOf('?');
    // Express matches `/console/` here too (non-strict routing): only the bare prefix redirects.
    if ((q >= 0 ? req.originalUrl.slice(0, q) : req.originalUrl).endsWith('/')) return next();
    res.redirect(301, `${prefix}/${q >= 0 ? req.originalUrl.slice(q) : ''}`);
  });

  r.use(
    prefix,
    express.static(distDir, {
      index: false,
      fallthrough: true,
      setHeaders(res, file) {
        res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );

  r.get(`${prefix}/{*splat}`, (req, res, next) => {
    if (path.extname(req.path) !== '') return next(); // a missing asset stays a 404
    if (!existsSync(indexFile)) {
      res
        .status(503)
        .json(
          errorBody('not_built', `This web app has not been built yet: run \`npm run build -w ${workspace}\` (or \`npm run build:web\`)`),
        );
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  });
  return r;
}

/** Both web apps: the admin/ops console at /console/ and the Procore side panel at /panel/. */
export function staticRoutes(apps: WebAppMount[] = WEB_APPS): Router {
  const r = Router();
  for (const app of apps) r.use(webAppRouter(app));
  return r;
}
