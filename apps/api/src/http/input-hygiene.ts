import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/**
 * The ONE place where strings from the outside world are checked before any route sees them.
 * PostgreSQL refuses NUL (U+0000) in text and jsonb, and a lone UTF-16 surrogate cannot be
 * encoded as UTF-8 (it fails in `encodeURIComponent`, in Postgres and in upstream APIs), so both
 * are refused here with a 400 naming the field, instead of surfacing as a 500 or an "upstream
 * outage" deep inside a handler. The database layer checks again as a second line (@mycoi/db).
 */

// a high surrogate not followed by a low one, or a low one not preceded by a high one
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string is refused, or null when it is fine. */
export function badStringReason(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired UTF-16 surrogate';
  return null;
}

// Deeper than any body we accept: a JSON bomb of nested arrays is refused before handlers walk it.
export const MAX_DEPTH = 32;

export interface BadField {
  /** where: e.g. `body.settings.approvedStatuses.0`, `query.q`, `header.x-request-id` */
  path: string;
  reason: string;
}

/** Walks a parsed value without recursion (a deep body must not overflow the stack). */
export function findBadField(root: unknown, prefix: string): BadField | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: root, path: prefix, depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const reason = badStringReason(v);
      if (reason) return { path, reason };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) return { path, reason: `is nested more than ${MAX_DEPTH} levels deep` };
    for (const [key, child] of Object.entries(v)) {
      const reason = badStringReason(key);
      const childPath = `${path}.${printableKey(key)}`;
      if (reason) return { path: childPath, reason: `has a key that ${reason}` };
      stack.push({ v: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}

// The path is echoed back in the error: keep it short and free of the very characters refused.
function printableKey(key: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must not be echoed
  const clean = key.replace(/[\u0000-\u001f\ud800-\udfff]/g, '?');
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}

function refuse(bad: BadField): HttpError {
  return new HttpError(400, 'invalid_characters', `${bad.path} ${bad.reason}`, [{ path: bad.path, message: bad.reason }]);
}

/** Express middleware, mounted after body parsing: path, query, headers and body. */
export const inputHygiene: RequestHandler = (req, _res, next) => {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    next(
      new HttpError(400, 'invalid_characters', 'The URL path is not valid percent-encoded UTF-8', [
        { path: 'path', message: 'bad percent-encoding' },
      ]),
    );
    return;
  }
  const pathReason = badStringReason(path);
  if (pathReason) {
    next(refuse({ path: 'path', reason: pathReason }));
    return;
  }
  const bad =
    findBadField(req.query, 'query') ??
    findBadField(req.headers, 'header') ??
    (req.body === undefined ? null : findBadField(req.body, 'body'));
  next(bad ? refuse(bad) : undefined);
};
