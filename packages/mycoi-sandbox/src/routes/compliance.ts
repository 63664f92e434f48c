import { Router, type Response } from 'express';
import type { Principal } from '../auth';
import { decodeCursor, encodeCursor, fingerprint } from '../cursor';
import { ApiError } from '../errors';
import { complianceQuery } from '../schemas';
import { feedCompare, type SandboxStore } from '../store';

const accountOf = (res: Response) => (res.locals.principal as Principal).accountId;

/** First index in `list` (sorted by (updated_at, id)) strictly after the position (u, i). */
function firstAfter(list: ReadonlyArray<{ updated_at: string; id: string }>, pos: { updated_at: string; id: string }): number {
  let lo = 0,
    hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (feedCompare(list[mid]!, pos) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function complianceRoutes(store: SandboxStore): Router {
  const r = Router();
  r.get('/v1/compliance', (req, res) => {
    const q = complianceQuery.parse(req.query);
    const acct = accountOf(res);
    const f = fingerprint({ acct, level: q.level });
    // The position is "after (updated_at, id)"; updated_since maps to "after (since - 1ms, max)".
    let pos: { updated_at: string; id: string };
    if (q.cursor) {
      const c = decodeCursor(
        q.cursor,
        f,
        (v): v is { f: string; u: string; i: string } => typeof v.u === 'string' && typeof v.i === 'string',
      );
      pos = { updated_at: c.u, id: c.i };
    } else if (q.updated_since) {
      pos = { updated_at: new Date(Date.parse(q.updated_since) - 1).toISOString(), id: '\uffff' };
    } else {
      pos = { updated_at: '', id: '' };
    }
    const list = store.complianceInFeedOrder(acct);
    const data = [];
    let more = false;
    for (let i = firstAfter(list, pos); i < list.length; i++) {
      const rec = list[i]!;
      if (q.level && rec.level !== q.level) continue;
      if (data.length === q.limit) {
        more = true;
        break;
      }
      data.push(rec);
      pos = { updated_at: rec.updated_at, id: rec.id };
    }
    res.json({ data, next_cursor: encodeCursor({ f, u: pos.updated_at, i: pos.id }), has_more: more });
  });
  r.get('/v1/compliance/vendors/:id', (req, res) => {
    const rec = store.complianceOfVendor(accountOf(res), req.params.id);
    if (!rec) throw new ApiError(404, 'not_found', 'No such vendor');
    res.json(rec);
  });
  r.get('/v1/compliance/assignments/:id', (req, res) => {
    const rec = store.complianceOfAssignment(accountOf(res), req.params.id);
    if (!rec) throw new ApiError(404, 'not_found', 'No such assignment');
    res.json(rec);
  });
  return r;
}
