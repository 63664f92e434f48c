import type pg from 'pg';
import type { MycoiClient } from '@mycoi/mycoi';
import { clearProblem, knownProjectNames, projectForbiddenProblem, recordProblem, rememberProjectNames } from '@mycoi/sync';
import type { NeededProjects, ProjectAccess } from './validate-dmsa';

type Db = Pick<pg.Pool, 'query'>;

/** myCOI projects read for validation, at most this many pages of 100 (an interactive call). */
const DIVISION_PAGES = 10;
const PROCORE_ID = /^[1-9]\d{0,17}$/;

/**
 * The Procore projects the integration works in, for DMSA validation (#11): projects linked in our
 * `links` table (project links and the projects of commitment links), projects we hold rows in,
 * projects a current `project_forbidden` problem names, and — when the tenant's myCOI credentials
 * are set — myCOI projects (divisions) whose external_id is a Procore project id. Names come from
 * what the engine remembered of Procore's list, else from myCOI; validation adds Procore's own.
 * A myCOI that cannot be read only narrows the list: validation is about the DMSA, not myCOI.
 */
export async function neededProjects(
  db: Db,
  tenantId: string,
  mycoi: (() => Promise<MycoiClient>) | null,
  log?: { warn(obj: object, msg: string): void },
): Promise<NeededProjects> {
  const { rows } = await db.query<{ id: string }>(
    `select procore_id as id from links where tenant_id = $1 and kind = 'project'
     union select procore_project_id from links where tenant_id = $1 and kind = 'commitment' and procore_project_id is not null
     union select procore_project_id from pushed_insurances where tenant_id = $1 and procore_project_id <> ''
     union select substr(scope, 9) from sync_problems where tenant_id = $1 and kind = 'project_forbidden' and scope like 'project:%'`,
    [tenantId],
  );
  const ids = new Set(rows.map((r) => r.id).filter((id) => PROCORE_ID.test(id)));
  const names: Record<string, string> = {};
  if (mycoi) {
    try {
      const client = await mycoi();
      let cursor: string | undefined;
      for (let page = 0; page < DIVISION_PAGES; page++) {
        const p = await client.listDivisions({ cursor, limit: 100 });
        for (const d of p.items) {
          if (!d.external_id || !PROCORE_ID.test(d.external_id)) continue;
          ids.add(d.external_id);
          names[d.external_id] ??= d.name;
        }
        if (!p.nextCursor) break;
        cursor = p.nextCursor;
      }
    } catch (err) {
      // no myCOI credentials yet (before ops sets them), or myCOI did not answer
      if ((err as Error)?.name !== 'MissingCredentialsError') log?.warn({ err, tenantId }, 'validation could not read myCOI projects');
    }
  }
  Object.assign(names, await knownProjectNames(db, tenantId)); // Procore's names as the engine last saw them win
  return { ids: [...ids], names };
}

/**
 * Records what validation found the way the engine does (same kind, same "project:<id>" scope, same
 * wording): a forbidden project is recorded, a reachable or deleted one cleared; a project Procore did
 * not answer for is left as it was. Per project, not replaceProblemsOfKind: a run recording another
 * project meanwhile must not be wiped. Also remembers the permitted projects' names, so a project
 * removed later is named in the engine's problem too.
 */
export async function recordProjectAccess(db: Db, tenantId: string, access: ProjectAccess): Promise<void> {
  await rememberProjectNames(db, tenantId, access.permitted);
  for (const f of access.forbidden) await recordProblem(db, tenantId, projectForbiddenProblem(f.id, f.name, f.detail));
  for (const id of [...access.reachable, ...access.gone]) await clearProblem(db, tenantId, 'project_forbidden', `project:${id}`);
}
