import { Router, type Response } from 'express';
import { projectFor, requireCompany, requireTool } from '../http/auth';
import type { Deps, SandboxRequest } from '../http/context';
import { badRequest, notFound } from '../http/errors';
import { idsFilter, queryAll, queryOne } from '../http/filters';
import { paginate } from '../http/pagination';
import { projectVendorView } from '../serialize/vendor';
import { actor, matches, pathId, sortBy } from './helpers';

/** Project Directory vendors, v1.0 and v1.1 (same behaviour, v1.1 has more views). */
export function projectVendorsRouter(deps: Deps): Router {
  const r = Router();
  const { store, config, emitter } = deps;

  for (const version of ['v1.0', 'v1.1'] as const) {
    const base = `/rest/${version}/projects/:project_id/vendors`;
    const views = version === 'v1.0' ? ['normal', 'extended'] : ['extended', 'ids_only', 'list', 'name', 'minimal', 'normal'];
    const viewOf = (req: SandboxRequest, extra: string[] = []) => {
      const v = queryOne(req, 'view');
      if (v !== undefined && ![...views, ...extra].includes(v)) throw badRequest(`view must be one of ${[...views, ...extra].join(', ')}`);
      return v;
    };

    r.get(base, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const project = projectFor(deps, req, pathId(req, 'project_id', 'Project'));
      requireTool(req, 'project', 'directory', 'read_only');
      const view = viewOf(req);
      const ids = idsFilter(req, 'id');
      const parents = idsFilter(req, 'parent_id');
      const trades = idsFilter(req, 'trade_id');
      const abbrev = [...queryAll(req, 'filters[abbreviated_name][]'), ...queryAll(req, 'filters[abbreviated_name]')];
      const search = queryOne(req, 'filters[search]');
      let list = store
        .pick(store.vendors, store.projectVendors.get(project.id))
        .filter(
          (v) =>
            (!ids || ids.has(v.id)) &&
            (!parents || (v.parent_id !== null && parents.has(v.parent_id))) &&
            (!trades || v.trade_ids.some((t) => trades.has(t))) &&
            (!abbrev.length || (v.abbreviated_name !== null && abbrev.includes(v.abbreviated_name))) &&
            matches([v.name, v.notes, v.origin_code], search),
        );
      list = sortBy(list, queryOne(req, 'sort'), { name: (v) => v.name });
      res.json(paginate(req, res, list, config).map((v) => projectVendorView(store, v, view)));
    });

    r.get(`${base}/:id`, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const project = projectFor(deps, req, pathId(req, 'project_id', 'Project'));
      requireTool(req, 'project', 'directory', 'read_only');
      const id = pathId(req, 'id', 'Vendor');
      const v = store.vendors.get(id);
      if (!v || !store.isProjectVendor(project.id, id)) throw notFound('Vendor');
      res.json(projectVendorView(store, v, viewOf(req)));
    });

    // Adds an existing Company Directory vendor to the Project Directory (no body).
    r.post(`${base}/:id/actions/add`, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const project = projectFor(deps, req, pathId(req, 'project_id', 'Project'));
      requireTool(req, 'project', 'directory', 'standard');
      const id = pathId(req, 'id', 'Vendor');
      const v = store.vendors.get(id);
      if (!v || v.company_id !== project.company_id) throw notFound('Vendor');
      if (!store.isProjectVendor(project.id, id)) {
        store.addProjectVendor(project.id, id);
        emitter.emit({
          companyId: project.company_id,
          projectId: project.id,
          resourceName: 'Project Vendors',
          resourceId: id,
          eventType: 'create',
          ...actor(req),
        });
      }
      res.status(201).json(projectVendorView(store, v, viewOf(req, ['name'])));
    });

    r.delete(`${base}/:id/actions/remove`, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const project = projectFor(deps, req, pathId(req, 'project_id', 'Project'));
      requireTool(req, 'project', 'directory', 'standard');
      const id = pathId(req, 'id', 'Vendor');
      if (!store.removeProjectVendor(project.id, id)) throw notFound('Vendor');
      emitter.emit({
        companyId: project.company_id,
        projectId: project.id,
        resourceName: 'Project Vendors',
        resourceId: id,
        eventType: 'delete',
        ...actor(req),
      });
      res.status(204).end();
    });
  }
  return r;
}
