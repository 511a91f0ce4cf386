/**
 * Offset/limit paging over HelpCrunch lists. It stops at the reported total, or at a short page
 * when HelpCrunch sent no total (older list formats), and always at an empty page. The offset
 * advances by what HelpCrunch actually returned (`rawCount`, before any client-side guard), so a
 * server that caps pages below our limit still gets walked to the end.
 */
import type { Page } from "./schemas.js";

/** HelpCrunch refuses limits above 100. */
export const MAX_PAGE_SIZE = 100;

export type PageFetcher<T> = (offset: number, limit: number) => Promise<Page<T>>;

export interface PaginateOptions {
  /** Items per request, clamped to 1–100 (default 100). */
  pageSize?: number;
  /** First offset (default 0). */
  offset?: number;
  /**
   * Safety stop against a server that ignores `offset` and never sends a total: stop once this
   * many items came back (default 10 000, i.e. 100 full pages, 50 s of the 120/min budget).
   */
  maxItems?: number;
}

/** Yields each non-empty page's items, in order. */
export async function* paginate<T>(fetchPage: PageFetcher<T>, options: PaginateOptions = {}): AsyncGenerator<T[], void, undefined> {
  const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(options.pageSize ?? MAX_PAGE_SIZE)));
  const maxItems = options.maxItems ?? 10_000;
  let offset = Math.max(0, Math.floor(options.offset ?? 0));
  for (let seen = 0; seen < maxItems; ) {
    const page = await fetchPage(offset, limit);
    if (page.data.length > 0) yield page.data;
    if (page.rawCount === 0) return;
    offset += page.rawCount;
    seen += page.rawCount;
    const done = page.totalReported === false ? page.rawCount < limit : offset >= page.total;
    if (done) return;
  }
}

/** Every item of every page. */
export async function collectAll<T>(fetchPage: PageFetcher<T>, options?: PaginateOptions): Promise<T[]> {
  const all: T[] = [];
  for await (const items of paginate(fetchPage, options)) all.push(...items);
  return all;
}
