import { badRequest, ProcoreError } from '../http/errors';

export type FieldErrors = Record<string, string[]>;

export interface SyncHandlers<T, Item> {
  findById(id: number): T | undefined;
  findByOrigin(originId: string): T | undefined;
  /** Field errors for this item given the record it would update (undefined = create). */
  validate(item: Item, existing: T | undefined): FieldErrors | undefined;
  create(item: Item): T;
  update(existing: T, item: Item): T;
  view(rec: T): unknown;
}

export const MAX_SYNC_ITEMS = 1000;

/**
 * Procore's sync action (Procore's tutorial on using sync actions): ≤ 1000 items; each item is matched
 * by `id` (must exist), else by `origin_id` (update if found, else create with it), else created.
 * When both are given the record is found by `id` — the only way to change an origin_id. Items fail
 * one by one: a failed item is echoed back under `errors` with an `errors` map, the rest apply.
 */
export function runSync<T, Item extends { id?: number | null; origin_id?: string | null }>(
  raw: unknown,
  parseItem: (x: unknown) => { ok: true; item: Item } | { ok: false; errors: FieldErrors },
  h: SyncHandlers<T, Item>,
): { entities: unknown[]; errors: unknown[] } {
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { updates?: unknown }).updates)) {
    throw badRequest('updates must be an array');
  }
  const updates = (raw as { updates: unknown[] }).updates;
  if (updates.length > MAX_SYNC_ITEMS) throw badRequest(`Too many updates: ${updates.length} (maximum ${MAX_SYNC_ITEMS} per request)`);
  const entities: unknown[] = [];
  const errors: unknown[] = [];
  for (const x of updates) {
    const echo = typeof x === 'object' && x !== null ? x : { value: x };
    const parsed = parseItem(x);
    if (!parsed.ok) {
      errors.push({ ...echo, errors: parsed.errors });
      continue;
    }
    const item = parsed.item;
    let existing: T | undefined;
    if (item.id !== undefined && item.id !== null) {
      existing = h.findById(item.id);
      if (!existing) {
        errors.push({ ...echo, errors: { id: ['Entity with this ID not found'] } });
        continue;
      }
    } else if (item.origin_id) {
      existing = h.findByOrigin(item.origin_id);
    }
    const fieldErrors = h.validate(item, existing);
    if (fieldErrors && Object.keys(fieldErrors).length) {
      errors.push({ ...echo, errors: fieldErrors });
      continue;
    }
    entities.push(h.view(existing ? h.update(existing, item) : h.create(item)));
  }
  return { entities, errors };
}

/** zod issues → Procore's `{ field: [messages] }` map. */
export function issuesToErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) {
    // The field name is the last string segment (`insurance.status` → status, `updates` items → field).
    const named = i.path.filter((x) => typeof x === 'string');
    const key = named.length ? String(named[named.length - 1]) : 'base';
    (out[key] ??= []).push(i.message);
  }
  return out;
}

/** Keys of `obj` the schema does not know (Procore answers 406 for non-existent fields). */
export function unknownKeys(obj: unknown, known: readonly string[]): string[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return [];
  return Object.keys(obj).filter((k) => !known.includes(k));
}

export function notAcceptable(keys: string[]): ProcoreError {
  return new ProcoreError(
    406,
    'not_acceptable',
    `Unknown field(s): ${keys.join(', ')}`,
    Object.fromEntries(keys.map((k) => [k, ['is not a known attribute']])),
  );
}

export const unknownFieldErrors = (keys: string[]): FieldErrors => Object.fromEntries(keys.map((k) => [k, ['is not a known attribute']]));
