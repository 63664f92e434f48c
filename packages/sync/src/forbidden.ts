import { describeError, type RunContext } from './context';
import { getCheckpoint, setCheckpoint } from './checkpoints';
import type { Queryable } from './db';
import type { ProcoreProject } from './ports';
import { clearProblem, recordProblem, type ProblemReport } from './problems';

/**
 * Partial permissions are a normal state (#11.2): Procore answers 403 for a project outside the
 * service account's permitted projects or a tool its permission template lacks, and customer admins
 * change both at any time. A 403 ends only the scope it happened in; the run goes on, the scope's
 * rows stay dirty (retried every run), and the problem is recorded in plain words with the fix.
 */
export function isForbidden(err: unknown): boolean {
  return (err as { status?: number } | null)?.status === 403;
}

export type ProcoreTool = 'directory' | 'commitments' | 'projects';

/** Last known project names (upkeep keeps them), so a problem names the project a user knows. */
const PROJECT_NAMES = 'procore.project_names';

export async function rememberProjectNames(db: Queryable, tenantId: string, projects: ProcoreProject[]): Promise<void> {
  if (projects.length === 0) return;
  const known = (await getCheckpoint<Record<string, string>>(db, tenantId, PROJECT_NAMES)) ?? {};
  let changed = false;
  for (const p of projects) {
    if (known[p.id] !== p.name) {
      known[p.id] = p.name;
      changed = true;
    }
  }
  if (changed) await setCheckpoint(db, tenantId, PROJECT_NAMES, known);
}

/** Every project name remembered for the tenant (Procore id → name). */
export async function knownProjectNames(db: Queryable, tenantId: string): Promise<Record<string, string>> {
  return (await getCheckpoint<Record<string, string>>(db, tenantId, PROJECT_NAMES)) ?? {};
}

async function projectName(db: Queryable, tenantId: string, projectId: string): Promise<string> {
  return (await knownProjectNames(db, tenantId))[projectId] ?? `#${projectId}`;
}

/**
 * The one wording of a project the service account cannot reach, for every writer (the engine on a
 * 403, DMSA validation): same kind and scope, so each clears what the other recorded.
 */
export function projectForbiddenProblem(projectId: string, name: string, detail: string): ProblemReport {
  return {
    kind: 'project_forbidden',
    scope: `project:${projectId}`,
    title: `No access to project ${name}`,
    detail,
    fix: `Add the myCOI service account to project ${name} in Procore's Project Directory (or add the project to the app's permitted projects in Procore's App Management).`,
  };
}

/** Procore names the missing tool in its 403 body ("… access to the commitments tool"). */
function toolFromMessage(message: string): ProcoreTool | null {
  const m = /\b(directory|commitments|projects)\b tool/i.exec(message);
  return m ? (m[1]!.toLowerCase() as ProcoreTool) : null;
}

const TOOL_LABEL: Record<ProcoreTool, string> = {
  directory: 'Directory',
  commitments: 'Commitments',
  projects: 'Projects',
};

/**
 * Record a 403 as the problem it is: a tool the permission template lacks (the message names it),
 * else a project the service account may not reach. `what` says in words what we tried to do.
 */
export async function recordForbidden(
  ctx: RunContext,
  err: unknown,
  where: { projectId?: string; tool: ProcoreTool; what: string },
): Promise<void> {
  const message = describeError(err);
  const tool = toolFromMessage(message) ?? (where.projectId ? null : where.tool);
  const t = ctx.tenant.id;
  ctx.add('scopesForbidden');
  if (/not connected to this company|not installed/i.test(message)) {
    // the whole app, not one tool or project: every scope answers the same until it is reinstalled
    ctx.error('tool_forbidden', message, 'app');
    await recordProblem(ctx.pool, t, {
      kind: 'tool_forbidden',
      scope: 'app',
      title: 'The myCOI app is not installed in this Procore company',
      detail: `Procore refused (403) when myCOI ${where.what}: ${message}`,
      fix: "Install the myCOI app again from Procore's App Marketplace (Company Admin → App Management) with the service account's permissions.",
    });
    return;
  }
  if (tool) {
    const level = where.projectId ? 'project' : 'company';
    ctx.error('tool_forbidden', message, `tool:${tool}`);
    await recordProblem(ctx.pool, t, {
      kind: 'tool_forbidden',
      scope: `tool:${tool}`,
      title: `No permission for Procore's ${TOOL_LABEL[tool]} tool`,
      detail: `Procore refused (403) when myCOI ${where.what}: ${message}`,
      fix: `In Procore's App Management, give the myCOI service account Standard access to the ${level}-level ${TOOL_LABEL[tool]} tool.`,
    });
    return;
  }
  const name = await projectName(ctx.pool, t, where.projectId!);
  ctx.error('project_forbidden', message, `project:${where.projectId}`);
  await recordProblem(
    ctx.pool,
    t,
    projectForbiddenProblem(
      where.projectId!,
      name,
      `Procore refused (403) when myCOI ${where.what} in project ${name}; its rows wait and are written as soon as access is back. Procore said: ${message}`,
    ),
  );
}

/** The scope was written again: its permission problem went away. */
export async function clearForbidden(ctx: RunContext, where: { projectId?: string; tool: ProcoreTool }): Promise<void> {
  if (where.projectId) await clearProblem(ctx.pool, ctx.tenant.id, 'project_forbidden', `project:${where.projectId}`);
  await clearProblem(ctx.pool, ctx.tenant.id, 'tool_forbidden', `tool:${where.tool}`);
  await clearProblem(ctx.pool, ctx.tenant.id, 'tool_forbidden', 'app');
}
