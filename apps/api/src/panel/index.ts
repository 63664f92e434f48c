import { Router } from 'express';
import type { AppDeps } from '../app';
import { HttpError } from '../http/errors';
import { panelAuthRoutes } from './auth-routes';
import { PanelAuthz } from './authz';
import { PanelProcoreTokens } from './procore-token';
import type { PanelContext } from './context';
import { panelFrameAncestors } from './frame';
import { readManifest } from './manifest';
import type { PanelPorts } from './ports';
import { panelRoutes } from './routes';
import { panelSessionRoutes } from './renew';
import { createPanelPorts } from './upstream';

export type { PanelPorts } from './ports';

/**
 * The side panel API (/api/panel/*). Upstream ports come from `services.panelPorts` when main (or
 * a test) built them, otherwise from the configured Procore/myCOI URLs; built on first use so the
 * routes can mount before the embedded sandboxes are listening.
 */
export function panelRouter(deps: AppDeps): Router {
  let built: PanelPorts | undefined;
  const ports = (): PanelPorts => {
    const given = deps.services?.panelPorts as PanelPorts | undefined;
    if (given) return given;
    if (!built) {
      const p = createPanelPorts({ config: deps.config, db: deps.db, services: deps.services ?? {} });
      if (!p)
        throw new HttpError(503, 'panel_unavailable', 'The side panel is not configured on this server (Procore or myCOI URL missing)');
      built = p;
    }
    return built;
  };
  const tokens = new PanelProcoreTokens({ db: deps.db.pool, ring: deps.config.encryption, ports });
  const authz = new PanelAuthz(ports, tokens, deps.db.pool);
  const ctx: PanelContext = { config: deps.config, db: deps.db, ports, manifest: readManifest().panel, tokens, authz };
  const r = Router();
  r.use(panelAuthRoutes(ctx));
  r.use(panelSessionRoutes(ctx)); // restore + renew: sign-ins kept across page loads
  r.use(panelRoutes(ctx, panelFrameAncestors(deps.config, deps.services)));
  return r;
}
