/**
 * search_chats' page cursor: the page's offset and where each of the query's streams stands, tied
 * to the query it came from. A deep page of a search that runs one query per status then costs one
 * request per status, not a re-read of every status from offset 0 (3,303 results at offset 2,000
 * cost 34–43 requests by offset). A cursor from another query is refused, not silently misused.
 */
import type { ChatQuery } from "../../helpcrunch/index.js";

export interface PageCursor {
  offset: number;
  positions: number[];
}

/**
 * The query without its place: two calls with the same filters and sort share it. FNV-1a, not a
 * cryptographic hash: it only catches a cursor passed to another search by mistake, and keeps
 * node:crypto out of start-up (test/e2e/build.test.ts).
 */
function queryKey(query: ChatQuery): string {
  const { offset: _offset, limit: _limit, positions: _positions, ...shape } = query;
  const text = JSON.stringify(shape);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36).padStart(8, "0").slice(-8);
}

export function encodePageCursor(query: ChatQuery, cursor: PageCursor): string {
  return `p.${cursor.offset}.${cursor.positions.join("-")}.${queryKey(query)}`;
}

/** The cursor's place, or a sentence saying why it cannot be used with this query. */
export function decodePageCursor(text: string, query: ChatQuery): PageCursor | string {
  const match = /^p\.(\d{1,9})\.(\d{1,9}(?:-\d{1,9}){0,15})\.([\w-]{8})$/.exec(text);
  if (!match) return "This cursor is not one search_chats gave; pass next_cursor exactly as returned, or use offset.";
  if (match[3] !== queryKey(query))
    return "This cursor belongs to a search with other filters or sort; repeat that search's filters, or use offset.";
  return { offset: Number(match[1]), positions: (match[2] as string).split("-").map(Number) };
}
