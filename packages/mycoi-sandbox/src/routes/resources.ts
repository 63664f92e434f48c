import { Router, type Response } from 'express';
import { type Principal, userOf } from '../auth';
import { ApiError } from '../errors';
import type { IdempotencyStore } from '../idempotency';
import { assignmentCreate, assignmentQuery, divisionCreate, listQuery, setQuery, vendorCreate, vendorQuery } from '../schemas';
import type { SandboxStore } from '../store';
import { contains, normTaxId, page } from './paginate';

const principal = (res: Response) => res.locals.principal as Principal;

function requireWriter(store: SandboxStore, res: Response): string {
  const p = principal(res);
  if (p.kind === 'user' && userOf(store, p)?.role === 'viewer') throw new ApiError(403, 'forbidden', 'Your role may not create records');
  return p.accountId;
}

function duplicate(existing: unknown): ApiError {
  return new ApiError(409, 'duplicate_external_id', 'A record with this external_id already exists', { existing });
}

function found<T>(row: T | undefined): T {
  if (!row) throw new ApiError(404, 'not_found', 'No such record');
  return row;
}

export function resourceRoutes(store: SandboxStore, idem: IdempotencyStore): Router {
  const r = Router();

  r.get('/v1/divisions', (req, res) => {
    const q = listQuery.parse(req.query);
    const acct = principal(res).accountId;
    res.json(
      page(
        store.divisions.rows,
        (d) =>
          d.account_id === acct &&
          (contains(d.name, q.q) || contains(d.code, q.q)) &&
          (q.external_id === undefined || d.external_id === q.external_id),
        q,
        { acct, q: q.q, e: q.external_id },
      ),
    );
  });
  r.get('/v1/divisions/:id', (req, res) => {
    res.json(found(store.divisions.get(principal(res).accountId, req.params.id)));
  });
  r.post('/v1/divisions', (req, res) => {
    const acct = requireWriter(store, res);
    idem.run(req, res, acct, () => {
      const body = divisionCreate.parse(req.body ?? {});
      const dup = body.external_id ? store.divisions.ofAccount(acct).find((d) => d.external_id === body.external_id) : undefined;
      if (dup) throw duplicate(dup);
      return { status: 201, body: store.addDivision(acct, body) };
    });
  });

  r.get('/v1/vendors', (req, res) => {
    const q = vendorQuery.parse(req.query);
    const acct = principal(res).accountId;
    const tax = q.tax_id === undefined ? undefined : normTaxId(q.tax_id);
    res.json(
      page(
        store.vendors.rows,
        (v) =>
          v.account_id === acct &&
          contains(v.name, q.q) &&
          (q.external_id === undefined || v.external_id === q.external_id) &&
          (tax === undefined || (v.tax_id !== null && normTaxId(v.tax_id) === tax)),
        q,
        { acct, q: q.q, e: q.external_id, t: tax },
      ),
    );
  });
  r.get('/v1/vendors/:id', (req, res) => {
    res.json(found(store.vendors.get(principal(res).accountId, req.params.id)));
  });
  r.post('/v1/vendors', (req, res) => {
    const acct = requireWriter(store, res);
    idem.run(req, res, acct, () => {
      const body = vendorCreate.parse(req.body ?? {});
      const dup = body.external_id ? store.vendors.ofAccount(acct).find((v) => v.external_id === body.external_id) : undefined;
      if (dup) throw duplicate(dup);
      return { status: 201, body: store.addVendor(acct, body) };
    });
  });

  r.get('/v1/insurance-sets', (req, res) => {
    const q = setQuery.parse(req.query);
    const acct = principal(res).accountId;
    res.json(page(store.insuranceSets.rows, (s) => s.account_id === acct && contains(s.name, q.q), q, { acct, q: q.q }));
  });
  r.get('/v1/insurance-sets/:id', (req, res) => {
    res.json(found(store.insuranceSets.get(principal(res).accountId, req.params.id)));
  });

  r.get('/v1/assignments', (req, res) => {
    const q = assignmentQuery.parse(req.query);
    const acct = principal(res).accountId;
    const eq = (v: string | null, want: string | undefined) => want === undefined || v === want;
    res.json(
      page(
        store.assignments.rows,
        (a) =>
          a.account_id === acct &&
          eq(a.vendor_id, q.vendor_id) &&
          eq(a.division_id, q.division_id) &&
          eq(a.external_id, q.external_id) &&
          eq(a.contract_id, q.contract_id),
        q,
        { acct, v: q.vendor_id, d: q.division_id, e: q.external_id, c: q.contract_id },
      ),
    );
  });
  r.get('/v1/assignments/:id', (req, res) => {
    res.json(found(store.assignments.get(principal(res).accountId, req.params.id)));
  });
  r.post('/v1/assignments', (req, res) => {
    const acct = requireWriter(store, res);
    idem.run(req, res, acct, () => {
      const body = assignmentCreate.parse(req.body ?? {});
      const dup = body.external_id ? store.assignments.ofAccount(acct).find((a) => a.external_id === body.external_id) : undefined;
      if (dup) throw duplicate(dup);
      for (const [field, ok] of [
        ['vendor_id', store.vendors.get(acct, body.vendor_id)],
        ['division_id', store.divisions.get(acct, body.division_id)],
        ['insurance_set_id', store.insuranceSets.get(acct, body.insurance_set_id)],
      ] as const) {
        if (!ok) throw new ApiError(422, 'invalid_reference', `${field} does not exist in this account`, { field });
      }
      return { status: 201, body: store.addAssignment(acct, body) };
    });
  });
  return r;
}
