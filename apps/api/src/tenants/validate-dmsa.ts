import type { ValidationCheck, ValidationResult } from '@mycoi/contracts';
import type { ProcoreSetupClient } from './procore-setup';

const LABELS = {
  token: 'Access token obtained',
  company: 'Company visible to the service account',
  projects: 'Permitted projects',
  directory: 'Company Directory readable',
  commitments: 'Commitments readable',
  projectAccess: 'Access to the projects linked to myCOI',
} as const;
type CheckId = keyof typeof LABELS;

function check(
  id: CheckId,
  ok: boolean,
  detail: string,
  fixHint: string | null,
  severity: ValidationCheck['severity'] = 'error',
): ValidationCheck {
  return { id, label: LABELS[id], ok, detail, fixHint: ok ? null : fixHint, severity };
}

/** Whether validation found the Commitments tool: true / false (403) / null (not checked or not answered). */
export function commitmentsToolOf(result: ValidationResult): boolean | null {
  const c = result.checks.find((x) => x.id === 'commitments');
  if (!c || c.skipped || c.detail.startsWith('skipped') || c.detail.startsWith('no permitted project')) return null; // 'skipped' text: results stored before `skipped` existed
  return c.ok ? true : c.severity === 'warning' ? false : null;
}

// not run: shown as skipped, not as another failure (ok stays false: nothing was verified)
const skipped = (id: CheckId): ValidationCheck => ({ ...check(id, false, 'Not checked: an earlier check failed', null), skipped: true });

function unreachable(status: number): string | null {
  if (status === 0) return 'Procore could not be reached; try again in a minute.';
  if (status === 429) return 'Procore is rate-limiting this app right now; try again in a minute.';
  if (status >= 500) return `Procore answered ${status}; try again later.`;
  return null;
}

/** The Procore projects the integration works in, gathered by the caller (see project-access.ts). */
export interface NeededProjects {
  /** Procore project ids: linked in myCOI, holding our rows, already reported forbidden, … */
  ids: string[];
  /** Names known without asking Procore (the engine's remembered names, myCOI project names). */
  names: Record<string, string>;
}

/** What validation learnt about each needed project; the caller records it as problems. */
export interface ProjectAccess {
  /** Not among the service account's permitted projects (and 403 on the project's directory when probed). */
  forbidden: { id: string; name: string; detail: string }[];
  /** Reachable: permitted (active or not), or the directory answered. */
  reachable: string[];
  /** Procore answered 404: the project no longer exists, so it is not a permission problem. */
  gone: string[];
  /** Procore could not answer (5xx, 429, no answer): nothing is known, nothing is changed. */
  unknown: string[];
  /** The status of the last such answer (0 = no answer), for the hint. */
  unknownStatus: number;
  /** Every permitted project, for the names the engine remembers. */
  permitted: { id: string; name: string; active: boolean }[];
  /** Names of the needed projects: Procore's current one when permitted, else what the caller knew. */
  names: Record<string, string>;
}

export interface DmsaValidation {
  result: ValidationResult;
  /** null when the permitted projects could not be listed (the check is then skipped). */
  projects: ProjectAccess | null;
}

/**
 * Projects absent from the permitted list are confirmed on their Project Directory (403 forbidden,
 * 404 gone) up to this many; beyond it, absence from the list is taken as the answer, so a long list
 * of lost projects costs one listing, not one call each under Procore's 25-per-10-s spike limit.
 */
export const MAX_PROJECT_PROBES = 20;
/** How many project names a check's text lists before "and N more". */
const NAMES_SHOWN = 10;

function listNames(names: string[]): string {
  const shown = names.slice(0, NAMES_SHOWN);
  const more = names.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : (shown[0] ?? '');
}

const nameOf = (names: Record<string, string>, id: string) => names[id] ?? `#${id}`;
/** "Oak Street Apartments (#5002)": the name the admin knows, the id to tell two alike apart. */
const labelOf = (names: Record<string, string>, id: string) => (names[id] ? `${names[id]} (#${id})` : `#${id}`);

/**
 * Which needed projects the service account cannot reach. Procore lists exactly the permitted
 * projects (all statuses were asked for), so the list answers for every needed project; those not
 * in it are probed on their Project Directory, where the sync writes, to tell "not permitted" (403)
 * from "no longer exists" (404).
 */
async function projectAccess(
  procore: ProcoreSetupClient,
  token: string,
  companyId: string,
  permitted: { id: string; name: string; active: boolean }[],
  needed: NeededProjects,
): Promise<ProjectAccess> {
  const names: Record<string, string> = { ...needed.names };
  for (const p of permitted) names[p.id] = p.name; // Procore's current name wins
  const listed = new Set(permitted.map((p) => p.id));
  const out: ProjectAccess = { forbidden: [], reachable: [], gone: [], unknown: [], unknownStatus: 0, permitted, names };
  let probes = 0;
  for (const id of [...new Set(needed.ids)].sort((a, b) => Number(a) - Number(b))) {
    if (listed.has(id)) {
      out.reachable.push(id);
      continue;
    }
    const name = nameOf(names, id);
    const notListed = `DMSA validation found that the myCOI service account cannot reach project ${name}: it is not among the app's permitted projects`;
    const after = '. Its compliance rows wait and are written as soon as access is back.';
    if (probes >= MAX_PROJECT_PROBES) {
      out.forbidden.push({ id, name, detail: `${notListed}${after}` });
      continue;
    }
    probes++;
    const dir = await procore.projectDirectory(token, companyId, id);
    if (dir.ok) out.reachable.push(id);
    else if (dir.status === 403)
      out.forbidden.push({ id, name, detail: `${notListed} (Procore answered 403 on its Project Directory)${after}` });
    else if (dir.status === 404) out.gone.push(id);
    else {
      out.unknown.push(id);
      out.unknownStatus = dir.status;
    }
  }
  return out;
}

/** The check of the projects the integration needs: a warning, since the other projects still flow. */
function projectAccessCheck(access: ProjectAccess): ValidationCheck {
  const n = access.names;
  const labels = (ids: string[]) => listNames(ids.map((id) => labelOf(n, id)));
  const total = access.forbidden.length + access.reachable.length + access.gone.length + access.unknown.length;
  const notes = [
    access.gone.length
      ? `${access.gone.length === 1 ? 'Project' : 'Projects'} ${labels(access.gone)} no longer ${access.gone.length === 1 ? 'exists' : 'exist'} in Procore.`
      : '',
    access.unknown.length ? `Access to ${labels(access.unknown)} could not be confirmed: Procore did not answer.` : '',
  ].filter(Boolean);
  const withNotes = (text: string) => [text, ...notes].join(' ');
  if (access.forbidden.length > 0) {
    const f = access.forbidden.map((p) => p.name);
    const one = f.length === 1;
    const of = total === 1 ? 'the project' : `${f.length} of the ${total} projects`;
    return check(
      'projectAccess',
      false,
      withNotes(
        `No access to ${of} linked to myCOI: ${labels(access.forbidden.map((p) => p.id))}. ` +
          `Compliance for ${one ? 'it' : 'them'} waits until the service account can reach ${one ? 'it' : 'them'}; every other project is written.`,
      ),
      one
        ? `Add the myCOI service account to project ${f[0]} in Procore's Project Directory, or add ${f[0]} to the app's permitted projects (App Management → the myCOI app → Permissions → Permitted Projects), then validate again.`
        : `Add the myCOI service account to projects ${listNames(f)} in Procore's Project Directory, or add them to the app's permitted projects (App Management → the myCOI app → Permissions → Permitted Projects), then validate again.`,
      'warning',
    );
  }
  // Procore did not answer for some: a warning to try again (nothing is known about them)
  if (access.unknown.length > 0) {
    return check('projectAccess', false, notes.join(' '), unreachable(access.unknownStatus) ?? 'Try again in a minute.', 'warning');
  }
  if (total === 0) return check('projectAccess', true, 'No Procore project is linked to myCOI yet; each is checked here once it is', null);
  const reachable = access.reachable.length;
  if (reachable === 0) return check('projectAccess', true, notes.join(' '), null); // only deleted projects: no permission to give
  return check(
    'projectAccess',
    true,
    notes.length
      ? withNotes(`${reachable === 1 ? 'The project' : `All ${reachable} projects`} linked to myCOI can be reached.`)
      : `${reachable === 1 ? 'The project' : `All ${reachable} projects`} linked to myCOI can be reached`,
    null,
  );
}

/**
 * Validates a company's DMSA client id/secret the way the sync will use them, one check per
 * permission it needs, each with the fix the admin can make in Procore. Later checks are skipped
 * (reported, not hidden) when an earlier one fails, because they would fail for the same reason.
 * With `needed` (the projects the integration works in) it also reports, as a warning, those the
 * service account cannot reach (#11: partial permissions are a normal state).
 */
export async function validateDmsa(
  procore: ProcoreSetupClient,
  creds: { clientId: string; clientSecret: string },
  companyId: string,
  needed: NeededProjects = { ids: [], names: {} },
): Promise<DmsaValidation> {
  const checks: ValidationCheck[] = [];
  let access: ProjectAccess | null = null;
  // a warning does not block activation (features.ts turns off what it affects)
  const done = (): DmsaValidation => ({
    result: { ok: checks.every((c) => c.ok || c.severity === 'warning'), checkedAt: new Date().toISOString(), checks },
    projects: access,
  });
  const rest: CheckId[] = ['company', 'projects', 'directory', 'commitments', 'projectAccess'];

  const token = await procore.clientCredentials(creds.clientId, creds.clientSecret);
  if (!token.ok) {
    const hint =
      unreachable(token.status) ??
      'Check the client ID and secret of the DMSA app (Procore App Management → the myCOI app → credentials); copy them again without spaces.';
    checks.push(check('token', false, `Procore refused the credentials (${token.status || 'no answer'})`, hint), ...rest.map(skipped));
    return done();
  }
  checks.push(check('token', true, 'Procore issued a service token', null));

  const companies = await procore.companies(token.data, companyId);
  const visible = companies.ok && companies.data.some((c) => c.id === companyId);
  checks.push(
    check(
      'company',
      visible,
      companies.ok
        ? visible
          ? `Company ${companyId} is visible`
          : `Company ${companyId} is not among the ${companies.data.length} companies this app sees`
        : companies.message,
      unreachable(companies.status) ??
        `Install the myCOI app in company ${companyId} (Procore App Management → Install App), with these same credentials.`,
    ),
  );
  if (!visible) {
    checks.push(...rest.slice(1).map(skipped));
    return done();
  }

  const projects = await procore.projects(token.data, companyId);
  const active = projects.ok ? projects.data.filter((p) => p.active) : [];
  const count = active.length;
  checks.push(
    check(
      'projects',
      projects.ok && count > 0,
      projects.ok ? `${count} permitted project${count === 1 ? '' : 's'}` : projects.message,
      unreachable(projects.status) ??
        'Add permitted projects for the app (App Management → the myCOI app → Permissions → Permitted Projects); the service account only sees those.',
    ),
  );

  const vendors = await procore.vendors(token.data, companyId);
  checks.push(
    check(
      'directory',
      vendors.ok,
      vendors.ok ? 'Company Directory vendors can be read' : vendors.message,
      unreachable(vendors.status) ??
        'Give the app at least Read Only on the company-level Directory tool (Standard to write insurance records).',
    ),
  );

  const firstId = active[0]?.id;
  if (!firstId) {
    checks.push(
      check(
        'commitments',
        false,
        'no permitted project to read commitments from',
        'Add at least one permitted project, then validate again.',
      ),
    );
  } else {
    const commitments = await procore.commitments(token.data, companyId, firstId);
    // No Commitments tool (403) is a warning, not a failure: myCOI's FAQ says the commitments module
    // is only needed for commitment-level work. Vendor-level push and the side panel still work.
    const noTool = !commitments.ok && commitments.status === 403;
    checks.push(
      check(
        'commitments',
        commitments.ok,
        commitments.ok
          ? 'Commitments can be read'
          : noTool
            ? `No access to the Commitments tool (${commitments.message}): commitment-level compliance, per-commitment status, vendor upkeep and the digest are off; vendor-level compliance and the side panel work`
            : commitments.message,
        unreachable(commitments.status) ??
          (noTool
            ? 'Enable the Commitments tool for the app (Read Only at least) in the app permissions and make sure the tool is active on the project, then validate again (only needed for commitment-level features).'
            : 'Commitments could not be read; check the app permissions for the Commitments tool.'),
        noTool ? 'warning' : 'error',
      ),
    );
  }

  // the projects the integration works in, against the permitted list (a warning: the rest flows)
  if (!projects.ok) checks.push(skipped('projectAccess'));
  else {
    access = await projectAccess(procore, token.data, companyId, projects.data, needed);
    checks.push(projectAccessCheck(access));
  }
  return done();
}
