// v1 pagination: follow Link rel="next" until it is absent (Procore's documented rule; the last
// page omits `next`). The next URL is followed as given, so filters carried in it are kept.

export interface LinkRels {
  [rel: string]: string;
}

/** Parses an RFC 8288 Link header: `<url>; rel="next", <url>; rel="last"`. */
export function parseLinkHeader(value: string | undefined | null): LinkRels {
  const out: LinkRels = {};
  if (!value) return out;
  for (const m of value.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const url = m[1]!;
    const params = m[2] ?? '';
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(params)?.[1];
    if (!rel) continue;
    for (const r of rel.trim().split(/\s+/)) out[r.toLowerCase()] = url;
  }
  return out;
}

/** The page number a Link URL points at, if it carries one (used to detect loops). */
export function pageOf(url: string): number | undefined {
  try {
    const p = new URL(url, 'http://x').searchParams.get('page');
    return p && /^\d+$/.test(p) ? Number(p) : undefined;
  } catch {
    return undefined;
  }
}
