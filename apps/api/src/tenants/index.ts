import cookieParser from 'cookie-parser';
import { Router } from 'express';
import type { AppDeps } from '../app';
import { adminAuthRoutes } from '../auth/admin-auth-routes';
import { opsRoutes } from '../ops/routes';
import { adminTenantRoutes } from './admin-routes';
import { tenantDeps } from './deps';

/** Everything under /api/admin and /api/ops (mounted once in routes/index.ts). */
export function tenantRoutes(deps: AppDeps): Router {
  const d = tenantDeps(deps);
  const r = Router();
  r.use(['/api/admin', '/api/ops'], cookieParser());
  r.use(adminAuthRoutes(d));
  r.use(adminTenantRoutes(d));
  r.use(opsRoutes(d));
  return r;
}

export {
  assertTenantActive,
  assertCompanyActive,
  isTenantActive,
  activeTenants,
  tenantIdForCompany,
  TenantInactiveError,
  type GatedFeature,
} from './gate';
export { loadTenantCredentials, type TenantCredentials } from './credentials';
