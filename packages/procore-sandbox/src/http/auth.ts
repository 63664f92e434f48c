import type { NextFunction, Response } from 'express';
import type { Access, Caller, Deps, SandboxRequest } from './context';
import { atLeast } from './context';
import { badRequest, forbidden, notFound, unauthorized } from './errors';
import type { Tool, ToolLevel } from '../state/types';

/** Bearer token → caller. 401 for a missing, unknown, revoked or expired token. */
export function authenticate(deps: Deps) {
  return (req: SandboxRequest, _res: Response, next: NextFunction) => {
    const h = req.get('authorization') ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(h);
    if (!m) return next(unauthorized('The access token is invalid'));
    const token = deps.store.tokens.get(m[1]!.trim());
    if (!token || token.revoked) return next(unauthorized('The access token is invalid'));
    if (token.expiresAt <= deps.store.nowSeconds()) return next(unauthorized('The access token is invalid'));
    const app = deps.store.apps.get(token.clientId);
    const user = deps.store.users.get(token.userId);
    if (!app || !user) return next(unauthorized('The access token is invalid'));
    req.caller = { token, app, user };
    next();
  };
}

/** Company access of a caller, or a reason it has none (message mimics Procore's). */
export function companyAccess(deps: Deps, caller: Caller, companyId: number): Access | string {
  if (!deps.store.companies.has(companyId)) return 'You do not have access to this company';
  const inst = caller.app.installations.get(companyId);
  if (caller.token.kind === 'client_credentials') {
    if (!inst) return 'App is not connected to this company';
    const ids = inst.permittedProjectIds;
    return { companyId, projectIds: ids === 'all' ? 'all' : new Set(ids), permissions: inst.permissions };
  }
  const m = caller.user.companies.get(companyId);
  if (!m) return 'You do not have access to this company';
  if (!inst && deps.config.switches.requireInstallForUserTokens) return 'App is not connected to this company';
  return { companyId, projectIds: m.projectIds === 'all' ? 'all' : new Set(m.projectIds), permissions: m.permissions };
}

/**
 * Procore-Company-Id is required on every REST call. `optionalForUsers` covers the two documented
 * exceptions (/me, /companies) which still need it for DMSA (client credentials) tokens.
 */
export function requireCompany(deps: Deps, opts: { optionalForUsers?: boolean } = {}) {
  return (req: SandboxRequest, _res: Response, next: NextFunction) => {
    const caller = req.caller!;
    const raw = req.get('procore-company-id');
    if (raw === undefined || raw.trim() === '') {
      if (opts.optionalForUsers && caller.token.kind === 'user') return next();
      return next(
        badRequest(
          'Missing Procore-Company-Id header! Every request must include the Procore-Company-Id header with the id of the company you are working in.',
        ),
      );
    }
    const companyId = Number(raw.trim());
    if (!Number.isSafeInteger(companyId) || companyId < 1) return next(badRequest('Procore-Company-Id header must be a company id'));
    const access = companyAccess(deps, caller, companyId);
    if (typeof access === 'string') return next(forbidden(access));
    caller.access = access;
    next();
  };
}

export function access(req: SandboxRequest): Access {
  const a = req.caller?.access;
  if (!a) throw badRequest('Missing Procore-Company-Id header!');
  return a;
}

/** A resource's company must be the company of the header. */
export function sameCompany(req: SandboxRequest, companyId: number): Access {
  const a = access(req);
  if (a.companyId !== companyId) throw forbidden('Procore-Company-Id does not match the requested company');
  return a;
}

export function canSeeProject(a: Access, projectId: number): boolean {
  return a.projectIds === 'all' || a.projectIds.has(projectId);
}

/** Project must exist in the header company and be visible to the caller (404 / 403 like Procore). */
export function projectFor(deps: Deps, req: SandboxRequest, projectId: number) {
  const project = deps.store.projects.get(projectId);
  if (!project) throw notFound('Project');
  const a = sameCompany(req, project.company_id);
  if (!canSeeProject(a, projectId)) throw forbidden('You do not have access to this project');
  return project;
}

export function requireTool(req: SandboxRequest, level: 'company' | 'project', tool: Tool, need: ToolLevel): void {
  const a = access(req);
  const have = a.permissions[level]?.[tool];
  if (!atLeast(have, need)) {
    throw forbidden(`You do not have ${need === 'read_only' ? 'read' : need} access to the ${tool} tool`);
  }
}
