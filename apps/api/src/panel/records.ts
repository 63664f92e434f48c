import type pg from 'pg';
import type { ComplianceView, LinkInfo, PanelKind, PanelRecordState } from '@mycoi/contracts';
import { HttpError } from '../http/errors';
import { findLinks, type StoredLink } from './links';
import { UpstreamError, type MycoiCompliance, type PanelPorts, type ProcoreCommitment } from './ports';
import type { PanelSessionRow } from './sessions';

type Queryable = Pick<pg.Pool, 'query'>;
const MYCOI_KIND = { project: 'division', vendor: 'vendor', commitment: 'assignment' } as const;

/** Procore's answer for a tool the DMSA lacks is 403: that is a state of the panel, not an error. */
export const isToolMissing = (err: unknown) => err instanceof UpstreamError && err.service === 'procore' && err.status === 403;

/** Maps upstream failures to errors the user can act on (retry, sign in again), never leaking upstream bodies. */
export function upstreamToHttp(err: unknown): unknown {
  if (!(err instanceof UpstreamError)) return err;
  const who = err.service === 'procore' ? 'Procore' : 'myCOI';
  if (err.service === 'mycoi' && err.status === 401)
    return new HttpError(401, 'session_expired', 'Your myCOI sign-in has expired: sign in again');
  if (err.status === 403) return new HttpError(403, `${err.service}_forbidden`, `${who} did not allow this (${err.message})`);
  if (err.status === 404) return new HttpError(404, `${err.service}_not_found`, `${who} could not find this record`);
  if (err.status === 422 || err.status === 409)
    return new HttpError(422, `${err.service}_rejected`, `${who} refused the record: ${err.message}`, err.details);
  return new HttpError(
    502,
    'upstream_unavailable',
    `${who} is not answering right now (${err.status || 'no response'}). Try again in a moment.`,
  );
}

export function toComplianceView(c: MycoiCompliance): ComplianceView {
  return {
    level: c.level,
    statusKind: c.status.kind,
    statusLabel: c.status.label,
    outcome: c.status.outcome ?? null,
    lines: c.lines,
    deficiencies: c.deficiencies,
    lastReviewedAt: c.lastReviewedAt,
    updatedAt: c.updatedAt,
    procore: c.procore,
  };
}

/** The commitment behind a panel opened on a commitment page, or null when the commitments tool is missing. */
export async function readCommitment(
  ports: PanelPorts,
  s: PanelSessionRow,
  projectId: string,
  id: string,
): Promise<ProcoreCommitment | null> {
  try {
    const c = await ports.procoreData.commitment(s.tenantId, s.companyId, projectId, id);
    if (c.projectId !== projectId) throw new HttpError(404, 'procore_not_found', 'This commitment is not in this project');
    return c;
  } catch (err) {
    if (isToolMissing(err)) return null;
    throw err;
  }
}

/**
 * Everything the panel shows for one Procore record. Reads Procore with the tenant's DMSA, the
 * link table, and myCOI with the user's token; a linked myCOI record that can no longer be read
 * becomes a notice rather than breaking the panel.
 */
export async function recordState(
  db: Queryable,
  ports: PanelPorts,
  s: PanelSessionRow,
  target: { view: 'commitment' | 'vendor'; projectId: string; id: string },
): Promise<PanelRecordState> {
  const notices: string[] = [];
  const projectP = ports.procoreData.project(s.tenantId, s.companyId, target.projectId);
  projectP.catch(() => undefined); // awaited below; this only stops an early rejection counting as unhandled
  let commitment: ProcoreCommitment | null = null;
  let commitmentsTool = true;
  let vendorId: string | null = null;
  if (target.view === 'commitment') {
    commitment = await readCommitment(ports, s, target.projectId, target.id);
    commitmentsTool = commitment !== null;
    vendorId = commitment?.vendorId ?? null;
  } else {
    vendorId = target.id; // a vendor page has no commitment actions, so the tool is not probed
  }
  // Links need only ids we already have, so the link lookup and the myCOI reads that follow it run
  // beside the remaining Procore reads instead of after them.
  const wanted: Array<{ kind: PanelKind; procoreId: string }> = [{ kind: 'project', procoreId: target.projectId }];
  if (vendorId) wanted.push({ kind: 'vendor', procoreId: vendorId });
  if (commitment) wanted.push({ kind: 'commitment', procoreId: commitment.id });

  const named = async (l: StoredLink | null): Promise<LinkInfo | null> => {
    if (!l) return null;
    const base = { mycoiId: l.mycoiId, source: l.source, linkedBy: l.linkedBy, linkedAt: l.linkedAt };
    try {
      const rec = await ports.mycoi.get(s.mycoiToken, MYCOI_KIND[l.kind], l.mycoiId);
      if (!rec) notices.push(`The linked myCOI ${l.kind} (${l.mycoiId}) no longer exists in myCOI.`);
      return { ...base, name: rec?.name ?? null };
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 401) throw upstreamToHttp(err);
      notices.push(`Could not read the linked myCOI ${l.kind} just now.`);
      return { ...base, name: null };
    }
  };
  type MycoiSide = [LinkInfo | null, LinkInfo | null, LinkInfo | null, ComplianceView | null];
  const mycoiSide = findLinks(db, s.tenantId, wanted).then((links): Promise<MycoiSide> => {
    const linkOf = (kind: PanelKind) => links.find((l) => l.kind === kind) ?? null;
    const complianceSubject = target.view === 'commitment' ? linkOf('commitment') : linkOf('vendor');
    return Promise.all([
      named(linkOf('project')),
      named(linkOf('vendor')),
      named(linkOf('commitment')),
      complianceSubject
        ? ports.mycoi
            .compliance(s.mycoiToken, target.view === 'commitment' ? 'assignment' : 'vendor', complianceSubject.mycoiId)
            .then((c) => (c ? toComplianceView(c) : null))
            .catch(() => {
              notices.push('Compliance could not be read from myCOI just now.');
              return null;
            })
        : Promise.resolve(null),
    ]);
  });
  const [project, vendor, [projectLink, vendorLink, commitmentLink, compliance]] = await Promise.all([
    projectP,
    vendorId ? ports.procoreData.vendor(s.tenantId, s.companyId, vendorId) : Promise.resolve(null),
    mycoiSide,
  ]);
  return {
    view: target.view,
    commitmentsTool,
    project: { procore: project, link: projectLink },
    vendor: vendor ? { procore: vendor, link: vendorLink } : null,
    commitment: commitment
      ? {
          procore: {
            id: commitment.id,
            kind: commitment.kind,
            number: commitment.number,
            title: commitment.title,
            status: commitment.status,
            amount: commitment.amount,
            vendorId: commitment.vendorId,
          },
          link: commitmentLink,
        }
      : null,
    compliance,
    notices,
  };
}
