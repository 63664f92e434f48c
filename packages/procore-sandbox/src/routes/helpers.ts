import type { Request } from 'express';
import type { SandboxRequest } from '../http/context';
import { notFound } from '../http/errors';

/** Path ids that are not positive integers are "not found", like Rails routes with integer ids. */
export function pathId(req: Request, name: string, what = 'Resource'): number {
  const raw = req.params[name];
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || !Number.isSafeInteger(n)) throw notFound(what);
  return n;
}

/** Who caused a change, for webhook metadata. */
export function actor(req: SandboxRequest): { userId: number | null; applicationId: string | null } {
  return { userId: req.caller?.user.id ?? null, applicationId: req.caller?.app.clientId ?? null };
}

/** Case-insensitive substring match used by filters[name] / filters[search]. */
export function matches(haystack: Array<string | null>, needle: string | undefined): boolean {
  if (!needle) return true;
  const n = needle.toLowerCase();
  return haystack.some((h) => h !== null && h.toLowerCase().includes(n));
}

export function sortBy<T>(items: T[], key: string | undefined, allowed: Record<string, (t: T) => string>): T[] {
  if (!key) return items;
  const desc = key.startsWith('-');
  const f = allowed[desc ? key.slice(1) : key];
  if (!f) return items;
  const sorted = [...items].sort((a, b) => f(a).localeCompare(f(b)));
  return desc ? sorted.reverse() : sorted;
}
