import type pg from 'pg';

/**
 * The second line behind the API's input check: PostgreSQL refuses NUL in text and jsonb, and a
 * lone UTF-16 surrogate cannot be encoded as UTF-8. Sent anyway, either fails deep inside a
 * statement (and, in a shared batch, takes its neighbours down with it). Every parameter is
 * checked before the statement leaves the process and a typed error is thrown instead, which the
 * API maps to 400 — bad input, never a 500.
 */
export class UnsafeTextError extends Error {
  override readonly name = 'UnsafeTextError';
  constructor(
    /** 1-based parameter number, as in `$1` */
    readonly parameter: number,
    readonly reason: string,
  ) {
    super(`Query parameter $${parameter} ${reason}`);
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function stringReason(s: string, asJson: boolean): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired UTF-16 surrogate';
  // JSON text bound for json/jsonb carries them escaped (`\u0000`, `\ud800`), which jsonb refuses too;
  // in a text column the same six characters are harmless, so only json-cast parameters are parsed
  if (asJson && s.includes('\\u')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(s);
    } catch {
      return null; // not JSON: Postgres reports that itself
    }
    return valueReason(parsed);
  }
  return null;
}

function valueReason(root: unknown): string | null {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return 'contains a NUL character';
      if (LONE_SURROGATE.test(v)) return 'contains an unpaired UTF-16 surrogate';
    } else if (Array.isArray(v)) {
      stack.push(...v);
    } else if (v !== null && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v)) {
      for (const [k, child] of Object.entries(v)) stack.push(k, child);
    }
  }
  return null;
}

/** `$3::jsonb`, `$1 :: json` in the statement: the parameters Postgres will parse as JSON. */
export function jsonParams(sql: string | undefined): Set<number> {
  const out = new Set<number>();
  if (sql) for (const m of sql.matchAll(/\$(\d+)\s*::\s*jsonb?\b/gi)) out.add(Number(m[1]));
  return out;
}

/** Throws UnsafeTextError for the first parameter Postgres would refuse. */
export function assertSafeParams(values: unknown, json: Set<number> = new Set()): void {
  if (!Array.isArray(values)) return;
  values.forEach((v, i) => {
    const reason = typeof v === 'string' ? stringReason(v, json.has(i + 1)) : valueReason(v);
    if (reason) throw new UnsafeTextError(i + 1, reason);
  });
}

const checked = new WeakSet<object>();

function sqlOf(config: unknown): string | undefined {
  if (typeof config === 'string') return config;
  if (config && typeof config === 'object' && 'text' in config) return String((config as { text?: unknown }).text ?? '');
  return undefined;
}

function paramsOf(config: unknown, values: unknown): unknown {
  if (Array.isArray(values)) return values;
  if (config && typeof config === 'object' && 'values' in config) return (config as { values?: unknown }).values;
  return undefined;
}

// pg's query has many overloads; the guard only looks at its first three arguments.
type QueryFn = (config: unknown, values?: unknown, cb?: unknown) => unknown;

/** Check before the statement leaves; reject like a failed query would (promise or callback). */
function guardQuery(original: QueryFn, self: unknown): QueryFn {
  return function (config: unknown, values?: unknown, cb?: unknown) {
    const params = paramsOf(config, values);
    if (params && typeof params === 'object' && !checked.has(params)) {
      try {
        assertSafeParams(params, jsonParams(sqlOf(config)));
        checked.add(params);
      } catch (err) {
        const callback = typeof values === 'function' ? values : typeof cb === 'function' ? cb : undefined;
        if (callback) {
          process.nextTick(callback as (e: unknown) => void, err);
          return undefined;
        }
        return Promise.reject(err);
      }
    }
    return original.call(self, config, values, cb);
  };
}

/** Guards `pool.query` and the query of every client the pool hands out (transactions). */
export function guardPool(pool: pg.Pool): pg.Pool {
  pool.query = guardQuery(pool.query as unknown as QueryFn, pool) as unknown as typeof pool.query;
  pool.on('connect', (client) => {
    client.query = guardQuery(client.query as unknown as QueryFn, client) as unknown as typeof client.query;
  });
  return pool;
}
