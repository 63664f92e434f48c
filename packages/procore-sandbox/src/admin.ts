import type { Deps } from './http/context';
import { makeCommitment, makeInsurance, makeProject } from './seed/factories';
import { resourceNameOf } from './routes/commitments';
import type { Commitment, Insurance, Project, ToolPermissions, Vendor } from './state/types';
import type { EmitArgs } from './webhooks/emitter';

/** What a webhook event is about: the changed resource and where it lives. */
type Subject = Pick<EmitArgs, 'companyId' | 'projectId' | 'resourceName' | 'resourceId'>;

const ofCommitment = (c: Commitment): Subject => ({
  companyId: c.company_id,
  projectId: c.project_id,
  resourceName: resourceNameOf(c.type),
  resourceId: c.id,
});
const ofInsurance = (i: Insurance): Subject => ({
  companyId: i.company_id,
  projectId: i.project_id,
  resourceName: i.project_id === null ? 'Company Insurances' : 'Project Insurances',
  resourceId: i.id,
});
const ofProject = (p: Project): Subject => ({ companyId: p.company_id, projectId: p.id, resourceName: 'Projects', resourceId: p.id });

/**
 * "A user changed something by hand in Procore": direct state edits that fire the same webhooks a
 * change through the UI would (no source_application_id). Used by tests, the demo and benchmarks.
 */
export function createAdmin(deps: Deps) {
  const { store, emitter } = deps;
  /** The webhook event a change by hand fires: no application, the user if one is named. */
  const changed = (subject: Subject, eventType: EmitArgs['eventType'], userId?: number) =>
    void emitter.emit({ ...subject, eventType, userId: userId ?? null, applicationId: null });

  function mustGet<T>(map: Map<number, T>, id: number, what: string): T {
    const v = map.get(id);
    if (!v) throw new Error(`${what} ${id} not found`);
    return v;
  }

  return {
    updateCommitment(
      id: number,
      patch: Partial<Omit<Commitment, 'id' | 'type' | 'company_id' | 'project_id'>>,
      userId?: number,
    ): Commitment {
      const c = mustGet(store.commitments, id, 'Commitment');
      store.updateCommitment(c, patch);
      changed(ofCommitment(c), 'update', userId);
      return c;
    },
    createCommitment(p: Partial<Commitment> & { type: Commitment['type']; project_id: number }, userId?: number): Commitment {
      const project = mustGet(store.projects, p.project_id, 'Project');
      const c = makeCommitment(store, { ...p, company_id: project.company_id });
      store.addCommitment(c);
      changed(ofCommitment(c), 'create', userId);
      return c;
    },
    deleteCommitment(id: number, userId?: number): void {
      const c = mustGet(store.commitments, id, 'Commitment');
      c.deleted_at = store.nowIso();
      c.updated_at = c.deleted_at;
      changed(ofCommitment(c), 'delete', userId);
    },
    updateVendor(id: number, patch: Partial<Omit<Vendor, 'id' | 'company_id'>>, userId?: number): Vendor {
      const v = mustGet(store.vendors, id, 'Vendor');
      store.updateVendor(v, patch);
      changed({ companyId: v.company_id, resourceName: 'Company Vendors', resourceId: v.id }, 'update', userId);
      return v;
    },
    addInsurance(p: Partial<Insurance> & { company_id: number; vendor_id: number }, userId?: number): Insurance {
      const i = makeInsurance(store, p);
      store.addInsurance(i);
      changed(ofInsurance(i), 'create', userId);
      return i;
    },
    updateInsurance(id: number, patch: Partial<Omit<Insurance, 'id' | 'company_id'>>, userId?: number): Insurance {
      const i = mustGet(store.insurances, id, 'Insurance');
      store.updateInsurance(i, patch);
      changed(ofInsurance(i), 'update', userId);
      return i;
    },
    deleteInsurance(id: number, userId?: number): void {
      const i = mustGet(store.insurances, id, 'Insurance');
      store.deleteInsurance(i);
      changed(ofInsurance(i), 'delete', userId);
    },
    updateProject(id: number, patch: Partial<Omit<Project, 'id' | 'company_id'>>, userId?: number): Project {
      const p = mustGet(store.projects, id, 'Project');
      Object.assign(p, patch, { updated_at: store.nowIso() });
      changed(ofProject(p), 'update', userId);
      return p;
    },
    createProject(p: Partial<Project> & { company_id: number; name: string }, userId?: number): Project {
      const project = makeProject(store, p);
      store.addProject(project);
      changed(ofProject(project), 'create', userId);
      return project;
    },
    addProjectVendor(projectId: number, vendorId: number, userId?: number): void {
      const p = mustGet(store.projects, projectId, 'Project');
      store.addProjectVendor(projectId, vendorId);
      changed({ companyId: p.company_id, projectId, resourceName: 'Project Vendors', resourceId: vendorId }, 'create', userId);
    },
    addRedirectUri(clientId: string, uri: string): void {
      const app = store.apps.get(clientId);
      if (!app) throw new Error(`App ${clientId} not found`);
      if (!app.redirectUris.includes(uri)) app.redirectUris.push(uri);
    },
    /** Company admin edits an installation (permitted projects / tool levels), or uninstalls (null). */
    setInstallation(
      clientId: string,
      companyId: number,
      inst: { permittedProjectIds?: 'all' | number[]; permissions?: ToolPermissions } | null,
    ): void {
      const app = store.apps.get(clientId);
      if (!app) throw new Error(`App ${clientId} not found`);
      if (inst === null) {
        app.installations.delete(companyId);
        return;
      }
      const cur = app.installations.get(companyId);
      app.installations.set(companyId, {
        companyId,
        permittedProjectIds: inst.permittedProjectIds ?? cur?.permittedProjectIds ?? 'all',
        permissions: inst.permissions ?? cur?.permissions ?? {},
      });
    },
    /** Move the sandbox clock forward (token expiry, rate-limit windows, auth code expiry). */
    advanceTime(seconds: number): void {
      store.clockOffsetMs += seconds * 1000;
    },
  };
}
export type SandboxAdmin = ReturnType<typeof createAdmin>;
