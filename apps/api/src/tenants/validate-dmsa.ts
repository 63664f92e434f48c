import type { ValidationCheck, ValidationResult } from '@mycoi/contracts';
import type { ProcoreSetupClient } from './procore-setup';

const LABELS = {
  token: 'Access token obtained',
  company: 'Company visible to the service account',
  projects: 'Permitted projects',
  directory: 'Company Directory readable',
  commitments: 'Commitments readable',
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

/**
 * Validates a company's DMSA client id/secret the way the sync will use them, one check per
 * permission it needs, each with the fix the admin can make in Procore. Later checks are skipped
 * (reported, not hidden) when an earlier one fails, because they would fail for the same reason.
 */
export async function validateDmsa(
  procore: ProcoreSetupClient,
  creds: { clientId: string; clientSecret: string },
  companyId: string,
): Promise<ValidationResult> {
  const checks: ValidationCheck[] = [];
  // a warning does not block activation (features.ts turns off what it affects)
  const done = () => ({ ok: checks.every((c) => c.ok || c.severity === 'warning'), checkedAt: new Date().toISOString(), checks });
  const rest: CheckId[] = ['company', 'projects', 'directory', 'commitments'];

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
  const count = projects.ok ? (projects.total ?? projects.data.length) : 0;
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

  const first = projects.ok ? projects.data[0] : undefined;
  const firstId = first && typeof first === 'object' && 'id' in first ? String((first as { id: unknown }).id) : undefined;
  if (!firstId) {
    checks.push(
      check(
        'commitments',
        false,
        'no permitted project to read commitments from',
        'Add at least one permitted project, then validate again.',
      ),
    );
    return done();
  }
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
  return done();
}
