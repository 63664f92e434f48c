// Which Procore tool and level each call of this client needs (Procore's permission builder:
// None / Read-only / Standard / Admin per company- and project-level tool). The manifest test in
// apps/api checks every method of the client against this table and the table against the
// manifest's DMSA permissions, so a new call cannot ship without the permission it needs.
//
// Levels follow Procore's documentation where it states them ("Webhooks API" = Standard to manage
// hooks) and otherwise the least level that covers the verb: reads need readonly, writes standard.

export type PermissionLevel = 'readonly' | 'standard' | 'admin';
export interface PermissionNeed {
  level: 'company' | 'project';
  tool: 'directory' | 'commitments' | 'webhooks';
  access: PermissionLevel;
}

/** null = no tool permission: granted by the installation / permitted projects themselves. */
export type CallPermission = PermissionNeed | null;

const companyDir = (access: PermissionLevel): PermissionNeed => ({ level: 'company', tool: 'directory', access });
const projectDir = (access: PermissionLevel): PermissionNeed => ({ level: 'project', tool: 'directory', access });
const commitments = (access: PermissionLevel): PermissionNeed => ({ level: 'project', tool: 'commitments', access });
// Our hooks are company-scoped (HookManager in @mycoi/events); project-scoped hooks would need the project-level tool.
const webhooks: PermissionNeed = { level: 'company', tool: 'webhooks', access: 'standard' };

const insuranceCalls = (dir: (a: PermissionLevel) => PermissionNeed) => ({
  pages: dir('readonly'),
  list: dir('readonly'),
  get: dir('readonly'),
  create: dir('standard'),
  update: dir('standard'),
  delete: dir('standard'),
  sync: dir('standard'),
});

/**
 * Keyed by the method's path on the client: `company().vendors.sync`, `insurances(project).list`,
 * `projectVendors().add`. Factories are written with their argument kind in parentheses.
 */
export const CALL_PERMISSIONS: Record<string, CallPermission> = {
  ...flat('', { me: null, 'companies.pages': null, 'companies.list': null }),
  ...flat('company().', {
    me: null,
    'companies.pages': null,
    'companies.list': null,
    // the DMSA sees its permitted projects with no tool permission (Procore's DMSA guide)
    'projects.pages': null,
    'projects.list': null,
    'projects.pagesV11': null,
    'projects.listV11': null,
    'projects.get': null,
    'vendors.pages': companyDir('readonly'),
    'vendors.list': companyDir('readonly'),
    'vendors.get': companyDir('readonly'),
    'vendors.create': companyDir('standard'),
    'vendors.update': companyDir('standard'),
    'vendors.sync': companyDir('standard'),
    'projectVendors().pages': projectDir('readonly'),
    'projectVendors().list': projectDir('readonly'),
    'projectVendors().get': projectDir('readonly'),
    'projectVendors().add': projectDir('standard'),
    'projectVendors().remove': projectDir('standard'),
    ...flat('insurances(company).', insuranceCalls(companyDir)),
    ...flat('insurances(company_vendor).', insuranceCalls(companyDir)),
    ...flat('insurances(project).', insuranceCalls(projectDir)),
    ...flat('insurances(project_vendor).', insuranceCalls(projectDir)),
    ...flat('commitments.', {
      'workOrders.pages': commitments('readonly'),
      'workOrders.list': commitments('readonly'),
      'workOrders.get': commitments('readonly'),
      'purchaseOrders.pages': commitments('readonly'),
      'purchaseOrders.list': commitments('readonly'),
      'purchaseOrders.get': commitments('readonly'),
      pages: commitments('readonly'),
      list: commitments('readonly'),
      get: commitments('readonly'),
      'compliance.get': commitments('readonly'),
      // per-commitment insurance status (the optional "commitment compliance" feature) writes the commitment
      'compliance.update': commitments('standard'),
    }),
    ...flat('webhooks.', {
      createHook: webhooks,
      listHooks: webhooks,
      deleteHook: webhooks,
      createTrigger: webhooks,
      listTriggers: webhooks,
      deleteTrigger: webhooks,
      deliveries: webhooks,
    }),
  }),
};

function flat(prefix: string, o: Record<string, CallPermission>): Record<string, CallPermission> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [prefix + k, v]));
}

const RANK: Record<PermissionLevel, number> = { readonly: 1, standard: 2, admin: 3 };

/** Does a granted permission set (manifest / installation, Procore spelling) allow this call? */
export function allows(
  granted: { company?: Partial<Record<string, PermissionLevel>>; project?: Partial<Record<string, PermissionLevel>> },
  need: CallPermission,
): boolean {
  if (need === null) return true;
  const have = granted[need.level]?.[need.tool];
  return have !== undefined && RANK[have] >= RANK[need.access];
}
