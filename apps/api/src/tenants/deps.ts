import type { Request } from 'express';
import type { ProcoreEnvironment } from '@mycoi/contracts';
import type { AppDeps } from '../app';
import { createMailer, type Mailer } from '../mail/mailer';
import type { Keyring } from '../secrets/crypto';
import type { Actor } from './audit';
import type { SharedProcoreApp } from './credentials';
import { ProcoreSetupClient } from './procore-setup';
import type { SyncControl } from '../sync-history/control';
import type { TenantClientRegistry } from '../clients/tenant-clients';

/** The part of `services.upstream` (apps/api/src/upstream.ts) tenant setup needs. */
interface UpstreamLike {
  procoreLoginUrl: string;
  procoreApiUrl: string;
  procoreClientId: string;
  procoreClientSecret: string;
  mycoiApiUrl: string;
}

export interface TenantDeps {
  pool: AppDeps['db']['pool'];
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
  /** services.tenantClients: validation reads the tenant's myCOI projects with them once its myCOI credentials are set. */
  tenantClients?: TenantClientRegistry;
  logger: AppDeps['logger'];
}

/** Reads what the tenant routes need from config and `services` (upstream, mailer, syncNow). */
export function tenantDeps(deps: AppDeps): TenantDeps {
  const s = deps.services ?? {};
  const c = deps.config;
  const up = s.upstream as UpstreamLike | undefined;
  const loginUrl = up?.procoreLoginUrl ?? c.PROCORE_LOGIN_URL;
  const apiUrl = up?.procoreApiUrl ?? c.PROCORE_API_URL;
  const clientId = up?.procoreClientId ?? c.PROCORE_CLIENT_ID;
  const clientSecret = up?.procoreClientSecret ?? c.PROCORE_CLIENT_SECRET;
  return {
    pool: deps.db.pool,
    ring: c.encryption,
    publicUrl: c.publicUrl,
    sessionSecret: c.sessionSecret,
    opsEmail: c.OPS_EMAIL,
    environment: (s.procoreEnvironment as ProcoreEnvironment | undefined) ?? (c.sandboxes ? 'local' : environmentOf(apiUrl)),
    procore: loginUrl && apiUrl ? new ProcoreSetupClient({ loginUrl, apiUrl }) : null,
    marketplaceApp: clientId && clientSecret ? { clientId, clientSecret } : null,
    mycoiApiUrl: up?.mycoiApiUrl ?? c.MYCOI_API_URL ?? null,
    mailer: (s.mailer as Mailer | undefined) ?? createMailer({ smtpUrl: c.SMTP_URL, from: c.MAIL_FROM, pool: deps.db.pool }),
    sync: s.syncControl as SyncControl | undefined,
    tenantClients: s.tenantClients as TenantClientRegistry | undefined,
    logger: deps.logger,
  };
}

/**
 * The Procore environment a service talks to, from its API host: Procore's known hosts, else a
 * local sandbox. The console preselects and labels it, so a demo is never registered as Production.
 */
export function environmentOf(apiUrl: string | undefined): ProcoreEnvironment {
  if (!apiUrl) return 'production';
  let host: string;
  try {
    host = new URL(apiUrl).hostname;
  } catch {
    return 'production';
  }
  if (host === 'sandbox.procore.com') return 'sandbox';
  if (host === 'api-monthly.procore.com') return 'monthly';
  if (host.endsWith('procore.com') || host.endsWith('procoregov.com')) return 'production';
  return 'local';
}

export const clientIp = (req: Request): string | null => req.ip ?? null;

export const actorOf = (kind: Actor['kind'], id: string, req: Request): Actor => ({ kind, id, ip: clientIp(req) });
