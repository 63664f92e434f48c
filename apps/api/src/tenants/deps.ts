import type { Request } from 'express';
import type { ProcoreEnvironment } from '@mycoi/contracts';
import type { Database } from '@mycoi/db';
import type { Logger } from 'pino';
import type { CoreDeps } from '../deps';
import type { UpstreamView } from '../upstream';
import { createMailer, type Mailer } from '../mail/mailer';
import type { Keyring } from '../secrets/crypto';
import type { Actor } from './audit';
import type { SharedProcoreApp } from './credentials';
import { ProcoreSetupClient } from './procore-setup';
import type { SyncControl } from '../sync-history/control';
import type { TenantClientRegistry } from '../clients/tenant-clients';

export interface TenantDeps {
  pool: Database['pool'];
  ring: Keyring;
  publicUrl: string;
  sessionSecret: string;
  opsEmail: string;
  environment: ProcoreEnvironment;
  procore: ProcoreSetupClient | null;
  /** The marketplace app: the admin's authorization code sign-in, and the optional shared DMSA app. */
  marketplaceApp: SharedProcoreApp | null;
  mycoiApiUrl: string | null;
  mailer: Mailer;
  /** The scheduler's controls for the sync routes (history, truthful "sync now"); absent when sync is not started. */
  sync?: SyncControl;
  /** Validation reads the tenant's myCOI projects with them once its myCOI credentials are set. */
  tenantClients?: TenantClientRegistry;
  logger: Logger;
}

/**
 * The services the tenant routes use when the composition root built them; each may be absent
 * when a test mounts the app with only the parts it exercises.
 */
export interface TenantServices {
  /** Absent: a mailer of our own over SMTP_URL (or the outbox). */
  mailer?: Mailer;
  syncControl?: SyncControl;
  tenantClients?: TenantClientRegistry;
}

/** What the tenant routes need, from config, the resolved upstream and the services. */
export function tenantDeps(core: CoreDeps, up: UpstreamView, s: TenantServices): TenantDeps {
  const c = core.config;
  const { procoreLoginUrl: loginUrl, procoreApiUrl: apiUrl, procoreClientId: clientId, procoreClientSecret: clientSecret } = up;
  return {
    pool: core.db.pool,
    ring: c.encryption,
    publicUrl: c.publicUrl,
    sessionSecret: c.sessionSecret,
    opsEmail: c.OPS_EMAIL,
    environment: up.procoreEnvironment,
    procore: loginUrl && apiUrl ? new ProcoreSetupClient({ loginUrl, apiUrl }) : null,
    marketplaceApp: clientId && clientSecret ? { clientId, clientSecret } : null,
    mycoiApiUrl: up.mycoiApiUrl ?? null,
    mailer: s.mailer ?? createMailer({ smtpUrl: c.SMTP_URL, from: c.MAIL_FROM, pool: core.db.pool }),
    sync: s.syncControl,
    tenantClients: s.tenantClients,
    logger: core.logger,
  };
}

export const clientIp = (req: Request): string | null => req.ip ?? null;

export const actorOf = (kind: Actor['kind'], id: string, req: Request): Actor => ({ kind, id, ip: clientIp(req) });
