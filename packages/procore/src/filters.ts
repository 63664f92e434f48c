// Procore list filter syntax: filters[attr]=v, arrays as filters[attr][]=…, date ranges as
// `start...end` (ISO-8601). axios serialises an array value of key "filters[x]" as filters[x][]=….

export type Range = { from?: Date | string; to?: Date | string };

const iso = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** A range with a missing end is closed with the epoch or "now", since Procore expects both ends. */
export function rangeValue(r: Range, now = new Date()): string {
  return `${iso(r.from ?? new Date(0))}...${iso(r.to ?? now)}`;
}

export function filterParams(f: {
  status?: string | string[];
  updatedAt?: Range;
  createdAt?: Range;
  originId?: string;
  ids?: number[];
  includeDeleted?: 'only' | 'with';
  search?: string;
}): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  if (f.status !== undefined) p['filters[status]'] = f.status;
  if (f.updatedAt) p['filters[updated_at]'] = rangeValue(f.updatedAt);
  if (f.createdAt) p['filters[created_at]'] = rangeValue(f.createdAt);
  if (f.originId !== undefined) p['filters[origin_id]'] = f.originId;
  if (f.ids?.length) p['filters[id]'] = f.ids;
  if (f.includeDeleted) p['filters[include_deleted]'] = f.includeDeleted;
  if (f.search) p['filters[search]'] = f.search;
  return p;
}
