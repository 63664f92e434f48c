import type pg from 'pg';
import { withTransaction } from '@mycoi/db';
import type { CreateBody, LinkRequest, PanelKind } from '@mycoi/contracts';
import { HttpError } from '../http/errors';
import { audit, type Actor } from '../tenants/audit';
import { findLink, insertLink, type StoredLink } from './links';
import type { PanelPorts, ProcoreAddress } from './ports';
import { readCommitment } from './records';
import type { PanelSessionRow } from './sessions';

export interface ActionDeps {
  /** a pool, not a client: a link and its audit entry commit in one transaction */
  db: pg.Pool;
  ports: PanelPorts;
  session: PanelSessionRow;
  actor: Actor;
  /** The panel's Idempotency-Key; upstream keys are derived from it per step, so a retry after a crash reuses them. */
  key: string;
}

const MYCOI_KIND = { project: 'division', vendor: 'vendor', commitment: 'assignment' } as const;

function assertCanCreate(s: PanelSessionRow): void {
  if (s.mycoiUser.role === 'viewer') {
    throw new HttpError(
      403,
      'mycoi_read_only',
      'Your myCOI role (viewer) can only read: ask a myCOI admin or manager to create or link records',
    );
  }
}

async function saveLink(
  d: ActionDeps,
  kind: PanelKind,
  procoreId: string,
  mycoiId: string,
  source: 'created' | 'linked' | 'matched',
  extra: { projectId?: string; vendorId?: string | null } = {},
): Promise<StoredLink> {
  // the link and its audit entry commit together, or neither does
  return withTransaction(d.db, async (client) => {
    const res = await insertLink(client, {
      tenantId: d.session.tenantId,
      kind,
      procoreId,
      mycoiId,
      source,
      createdBy: d.actor.id,
      projectId: extra.projectId ?? null,
      vendorId: extra.vendorId ?? null,
    });
    if (!res.ok) {
      throw new HttpError(
        409,
        'already_linked',
        res.conflict === 'procore'
          ? `This Procore ${kind} is already linked to another myCOI record (${res.existing?.mycoiId})`
          : `That myCOI record is already linked to another Procore ${kind}`,
      );
    }
    await audit(client, d.session.tenantId, d.actor, source === 'linked' ? `panel.link_${kind}` : `panel.create_${kind}`, {
      procoreId,
      mycoiId,
      mycoiUser: d.session.mycoiUser.email,
      idempotencyKey: d.key,
    });
    return res.link;
  });
}

const contactOf = (name: string, email: string | null, phone: string | null) => (email || phone ? { name, email, phone } : null);

interface ProjectFields {
  name: string;
  code: string | null;
  address: ProcoreAddress | null;
}
interface VendorFields {
  name: string;
  taxId: string | null;
  email: string | null;
  phone: string | null;
  address: ProcoreAddress | null;
}

async function ensureProject(d: ActionDeps, projectId: string, fields?: ProjectFields): Promise<StoredLink> {
  const existing = await findLink(d.db, d.session.tenantId, 'project', projectId);
  if (existing) return existing;
  const f: ProjectFields =
    fields ??
    (await d.ports.procoreData
      .project(d.session.tenantId, d.session.companyId, projectId)
      .then((p) => ({ name: p.name, code: p.number, address: p.address })));
  const division = await d.ports.mycoi.createDivision(
    d.session.mycoiToken,
    { ...f, externalId: projectId },
    `${d.session.tenantId}:${d.key}:division`,
  );
  return saveLink(d, 'project', projectId, division.id, division.existed ? 'matched' : 'created');
}

async function ensureVendor(d: ActionDeps, vendorId: string, fields?: VendorFields): Promise<StoredLink> {
  const existing = await findLink(d.db, d.session.tenantId, 'vendor', vendorId);
  if (existing) return existing;
  const f: VendorFields =
    fields ?? (await d.ports.procoreData.vendor(d.session.tenantId, d.session.companyId, vendorId).then((v) => ({ ...v, taxId: null })));
  const vendor = await d.ports.mycoi.createVendor(
    d.session.mycoiToken,
    { name: f.name, taxId: f.taxId, externalId: vendorId, address: f.address, contact: contactOf(f.name, f.email, f.phone) },
    `${d.session.tenantId}:${d.key}:vendor`,
  );
  return saveLink(d, 'vendor', vendorId, vendor.id, vendor.existed ? 'matched' : 'created');
}

const fillAddress = (a: Partial<ProcoreAddress> | null | undefined): ProcoreAddress | null =>
  a
    ? { line1: a.line1 ?? null, city: a.city ?? null, state: a.state ?? null, postalCode: a.postalCode ?? null, country: a.country ?? null }
    : null;

/** Create in myCOI from the (user-edited) Procore data. A commitment creates or links its project and vendor first. */
export async function createRecord(d: ActionDeps, body: CreateBody): Promise<StoredLink> {
  assertCanCreate(d.session);
  if (body.kind === 'project') {
    return ensureProject(d, body.projectId, { name: body.name, code: body.code ?? null, address: fillAddress(body.address) });
  }
  if (body.kind === 'vendor') {
    return ensureVendor(d, body.vendorId, {
      name: body.name,
      taxId: body.taxId ?? null,
      email: body.email ?? null,
      phone: body.phone ?? null,
      address: fillAddress(body.address),
    });
  }
  const existing = await findLink(d.db, d.session.tenantId, 'commitment', body.commitmentId);
  if (existing) return existing;
  const c = await readCommitment(d.ports, d.session, body.projectId, body.commitmentId);
  if (!c) throw new HttpError(403, 'commitments_tool_missing', 'The myCOI app has no access to the Commitments tool in this project');
  if (!c.vendorId) throw new HttpError(422, 'commitment_without_vendor', 'This commitment has no vendor in Procore; add one first');
  const project = await ensureProject(d, body.projectId);
  const vendor = await ensureVendor(d, c.vendorId);
  const a = await d.ports.mycoi.createAssignment(
    d.session.mycoiToken,
    {
      vendorId: vendor.mycoiId,
      divisionId: project.mycoiId,
      insuranceSetId: body.insuranceSetId,
      contractId: body.contractId ?? c.number,
      externalId: c.id,
      title: body.title ?? c.title,
      amount: body.amount ?? c.amount,
    },
    `${d.session.tenantId}:${d.key}:assignment`,
  );
  return saveLink(d, 'commitment', c.id, a.id, a.existed ? 'matched' : 'created', { projectId: body.projectId, vendorId: c.vendorId });
}

/** Link to an existing myCOI record (reuse hand-entered myCOI data instead of duplicating it). */
export async function linkRecord(d: ActionDeps, body: LinkRequest): Promise<StoredLink> {
  assertCanCreate(d.session);
  const existing = await findLink(d.db, d.session.tenantId, body.kind, body.procoreId);
  if (existing?.mycoiId === body.mycoiId) return existing;
  const rec = await d.ports.mycoi.get(d.session.mycoiToken, MYCOI_KIND[body.kind], body.mycoiId);
  if (!rec) throw new HttpError(404, 'mycoi_not_found', 'That myCOI record does not exist (or belongs to another account)');
  if (body.kind !== 'commitment') return saveLink(d, body.kind, body.procoreId, body.mycoiId, 'linked');

  const c = await readCommitment(d.ports, d.session, body.projectId, body.procoreId);
  if (!c) throw new HttpError(403, 'commitments_tool_missing', 'The myCOI app has no access to the Commitments tool in this project');
  const parties = await d.ports.mycoi.assignmentParties(d.session.mycoiToken, body.mycoiId);
  const link = await saveLink(d, 'commitment', c.id, body.mycoiId, 'linked', { projectId: body.projectId, vendorId: c.vendorId });
  // The assignment names its division and vendor: link those too when the Procore side is unlinked,
  // so compliance finds its way to the right Project Directory entry.
  if (parties) {
    if (!(await findLink(d.db, d.session.tenantId, 'project', body.projectId))) {
      await saveLink(d, 'project', body.projectId, parties.divisionId, 'linked').catch(() => undefined);
    }
    if (c.vendorId && !(await findLink(d.db, d.session.tenantId, 'vendor', c.vendorId))) {
      await saveLink(d, 'vendor', c.vendorId, parties.vendorId, 'linked').catch(() => undefined);
    }
  }
  return link;
}
