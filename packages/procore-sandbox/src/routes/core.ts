import { Router, type Response } from 'express';
import { canSeeProject, companyAccess, projectFor, requireCompany, sameCompany } from '../http/auth';
import type { Deps, SandboxRequest } from '../http/context';
import { badRequest } from '../http/errors';
import { enumFilter, idsFilter, inRange, intParam, queryOne, rangeFilter } from '../http/filters';
import { paginate } from '../http/pagination';
import { projectCompact, projectListItem, projectShow } from '../serialize/project';
import type { Project } from '../state/types';
import { matches, pathId, sortBy } from './helpers';

/** /me, /companies, projects (v1.0 + v1.1). */
export function coreRouter(deps: Deps): Router {
  const r = Router();
  const { store, config } = deps;

  r.get('/rest/v1.0/me', requireCompany(deps, { optionalForUsers: true }), (req: SandboxRequest, res: Response) => {
    const user = req.caller!.user;
    const scoped = req.query.company_id !== undefined || req.query.project_id !== undefined;
    if (scoped && !req.caller!.access) throw badRequest('Missing Procore-Company-Id header!');
    // `name` only when company_id or project_id is given (documented).
    res.json(scoped ? { id: user.id, login: user.login, name: user.name } : { id: user.id, login: user.login });
  });

  r.get('/rest/v1.0/companies', requireCompany(deps, { optionalForUsers: true }), (req: SandboxRequest, res: Response) => {
    const caller = req.caller!;
    const ids = caller.token.kind === 'client_credentials' ? [...caller.app.installations.keys()] : [...caller.user.companies.keys()];
    const visible = ids
      .filter((id) => typeof companyAccess(deps, caller, id) !== 'string')
      .map((id) => store.companies.get(id)!)
      .sort((a, b) => a.id - b.id)
      .map((c) => ({
        id: c.id,
        name: c.name,
        is_active: c.is_active,
        logo_url: c.logo_url,
        pcn_business_experience: c.pcn_business_experience,
        my_company: c.my_company,
      }));
    res.json(paginate(req, res, visible, config));
  });

  function listProjects(req: SandboxRequest, v11: boolean): Project[] {
    const companyId = intParam(req.query.company_id, 'company_id')!;
    const a = sameCompany(req, companyId);
    const status = enumFilter(req, 'by_status', ['All', 'Active', 'Inactive']);
    const updated = rangeFilter(req, 'updated_at');
    const created = rangeFilter(req, 'created_at');
    const origin = queryOne(req, 'filters[origin_id]');
    const ids = idsFilter(req, 'id');
    const name = queryOne(req, 'filters[name]');
    const vendorId = intParam(queryOne(req, 'filters[vendor_id]'), 'filters[vendor_id]', false);
    const number = v11 ? queryOne(req, 'filters[project_number]') : undefined;
    const isDemo = v11 ? queryOne(req, 'filters[is_demo]') : undefined;
    const wanted = status ? [...status][0] : 'Active';
    const out = store
      .pick(store.projects, store.projectsByCompany.get(companyId))
      .filter(
        (p) =>
          canSeeProject(a, p.id) &&
          (wanted === 'All' || (wanted === 'Active') === p.active) &&
          inRange(p.updated_at, updated) &&
          inRange(p.created_at, created) &&
          (origin === undefined || p.origin_id === origin) &&
          (!ids || ids.has(p.id)) &&
          matches([p.name, p.display_name, p.project_number], name) &&
          (vendorId === undefined || store.isProjectVendor(p.id, vendorId)) &&
          (number === undefined || p.project_number === number) &&
          (isDemo === undefined || String(p.is_demo) === isDemo),
      );
    return sortBy(out, queryOne(req, 'sort'), { name: (p) => p.name, display_name: (p) => p.display_name });
  }

  r.get('/rest/v1.0/projects', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const page = paginate(req, res, listProjects(req, false), config);
    const compact = queryOne(req, 'serializer_view') === 'compact';
    res.json(page.map((p) => (compact ? projectCompact(p) : projectListItem(store, p))));
  });

  // v1.1: default per_page 100, max 300 (documented for this endpoint).
  r.get('/rest/v1.1/projects', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const view = queryOne(req, 'view') ?? 'normal';
    if (!['ids', 'compact', 'normal', 'extended'].includes(view)) throw badRequest('view must be one of ids, compact, normal, extended');
    const all = listProjects(req, true);
    if (view === 'ids') {
      // 'ids' returns bare integer ids and forces per_page to 200000 (documented).
      res.json(paginate(req, res, all, config, { defaultPerPage: 200_000, maxPerPage: 200_000 }).map((p) => p.id));
      return;
    }
    const page = paginate(req, res, all, config, { defaultPerPage: 100, maxPerPage: 300 });
    res.json(
      page.map((p) => (view === 'compact' ? projectCompact(p) : view === 'extended' ? projectShow(store, p) : projectListItem(store, p))),
    );
  });

  r.get('/rest/v1.0/projects/:id', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const companyId = intParam(req.query.company_id, 'company_id')!;
    sameCompany(req, companyId);
    const p = projectFor(deps, req, pathId(req, 'id', 'Project'));
    if (p.company_id !== companyId) throw badRequest('Project does not belong to company_id');
    if (queryOne(req, 'view') === 'minimal') {
      res.json({
        id: p.id,
        name: p.name,
        project_number: p.project_number,
        display_name: p.display_name,
        active: p.active,
        company: { id: p.company_id, name: store.companies.get(p.company_id)?.name },
      });
      return;
    }
    res.json(projectShow(store, p));
  });

  return r;
}
