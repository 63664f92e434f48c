import type { InvalidRecord } from '@mycoi/http';
import type { ComplianceRecord } from './schemas';

export interface FeedOptions {
  /** Resume after this checkpoint (a previous page's `cursor`); wins over updatedSince. */
  cursor?: string;
  /** Start with records updated at or after this instant (ISO 8601). */
  updatedSince?: string;
  level?: 'vendor' | 'assignment';
  limit?: number;
}

export interface FeedPage {
  records: ComplianceRecord[];
  invalid: InvalidRecord[];
  /** Always present: store it as the checkpoint once the page is processed. */
  cursor: string;
  hasMore: boolean;
}

/**
 * Walks the feed page by page until `has_more` is false. The server orders by (updated_at, id)
 * and the cursor encodes the last pair, so records changing meanwhile are neither skipped nor
 * repeated at the same version; a changed record comes again later with its new version.
 */
export async function* compliancePages(fetchPage: (q: FeedOptions) => Promise<FeedPage>, start: FeedOptions): AsyncGenerator<FeedPage> {
  let q: FeedOptions = { ...start };
  for (;;) {
    const page = await fetchPage(q);
    yield page;
    if (!page.hasMore) return;
    q = { level: start.level, limit: start.limit, cursor: page.cursor };
  }
}

/** Walks any cursor-paginated list: `for await (const v of paginate((c) => client.listVendors({ cursor: c })))`. */
export async function* paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): AsyncGenerator<T> {
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    yield* page.items;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}
