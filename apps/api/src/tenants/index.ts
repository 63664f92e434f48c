import cookieParser from 'cookie-parser';
import { Router } from 'express';
import { adminAuthRoutes } from '../auth/admin-auth-routes';
import { opsRoutes } from '../ops/routes';
import { adminTenantRoutes } from './admin-routes';
import type { TenantDeps } from './deps';

/** Everything under /api/admin and /api/ops (mounted once in routes/index.ts, with tenantDeps()). */
export function tenantRoutes(d: TenantDeps): Router {
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
