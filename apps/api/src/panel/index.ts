import { Router } from 'express';
import type { CoreDeps } from '../deps';
import type { UpstreamView } from '../upstream';
import type { TenantClientRegistry } from '../clients/tenant-clients';
import { HttpError } from '../http/errors';
import { panelAuthRoutes } from './auth-routes';
import { PanelAuthz } from './authz';
import { PanelProcoreTokens } from './procore-token';
import type { PanelContext } from './context';
import { readManifest } from './manifest';
import type { PanelPorts, RefreshPort } from './ports';
import { panelRoutes } from './routes';
import { panelSessionRoutes } from './renew';
import { createPanelPorts } from './upstream';

export type { PanelPorts } from './ports';

/** The services the panel uses when the composition root (or a test) built them; each optional. */
export interface PanelServices {
  /** Ports built elsewhere (tests): used as given instead of the real ones over the upstream. */
  panelPorts?: PanelPorts;
  /** The shared per-tenant clients: the panel's DMSA reads spend the tenant's one rate budget. */
  tenantClients?: TenantClientRegistry;
  /** "Refresh" on a record; absent: a targeted run is queued for the scheduler. */
  panelRefresh?: RefreshPort;
}

export interface PanelRouterDeps extends Pick<CoreDeps, 'config' | 'db'> {
  upstream: UpstreamView;
  services: PanelServices;
}

/**
 * The side panel API (/api/panel/*). Upstream ports come from `services.panelPorts` when given,
 * otherwise from the resolved upstream; built on first use so the routes can mount before the
 * embedded sandboxes are listening.
 */
export function panelRouter(deps: PanelRouterDeps): Router {
  const { services, upstream } = deps;
  let built: PanelPorts | undefined;
  const ports = (): PanelPorts => {
    if (services.panelPorts) return services.panelPorts;
    if (!built) {
      const p = createPanelPorts({ db: deps.db, upstream, tenantClients: services.tenantClients, refresh: services.panelRefresh });
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
  r.use(panelRoutes(ctx, upstream.panelFrameAncestors));
  return r;
}
