/** Offset/limit paging that stops at the reported total (or at a short page, for APIs that lie). */
import type { Page } from "./schemas.js";

export const MAX_PAGE_SIZE = 100;

export async function* paginate<T>(fetchPage: (offset: number, limit: number) => Promise<Page<T>>, pageSize = MAX_PAGE_SIZE): AsyncGenerator<T[]> {
  const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, pageSize));
  for (let offset = 0; ; offset += limit) {
    const page = await fetchPage(offset, limit);
    if (page.data.length > 0) yield page.data;
    if (page.rawCount < limit || offset + limit >= page.total) return;
  }
}

export async function collectAll<T>(fetchPage: (offset: number, limit: number) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  for await (const items of paginate(fetchPage)) all.push(...items);
  return all;
}
