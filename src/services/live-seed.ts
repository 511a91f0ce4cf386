/**
 * The progressive seed: the open queue read one page at a time, one open status after another, in
 * creation order, so a pass can stop after any page and continue from where it stood (SeedProgress,
 * kept in the mirror's store: Redis when configured, so another replica or a restart continues).
 *
 * Paging is by creation time (a chat's createdAt never changes, new chats come after the end), not
 * by offset: a chat leaving a status mid-pass would shift every offset after it and skip a chat.
 * Chats created in the same second as the last one read are skipped by count. An account whose
 * search does not return creation order is paged by offset instead (noticed on the page itself).
 */
import { OPEN_STATUSES } from "../domain/conversation.js";
import type { Chat, HelpCrunchApi } from "../helpcrunch/index.js";
import type { SeedProgress } from "./mirror-store.js";

/** Chats per page: HelpCrunch's largest. */
export const SEED_PAGE = 100;

export function newPass(startedAt: number): SeedProgress {
  return { startedAt, stream: 0, since: 0, skip: 0, pages: 0, chats: 0, totals: [] };
}

const ascending = (chats: Chat[]) => chats.every((chat, i) => i === 0 || (chat.createdAt ?? 0) >= (chats[i - 1]?.createdAt ?? 0));

/** Reads the page `progress` points at; `next` is undefined once every open status is read. */
export async function readSeedPage(
  client: HelpCrunchApi,
  progress: SeedProgress,
  signal: AbortSignal,
): Promise<{ chats: Chat[]; next: SeedProgress | undefined }> {
  const status = OPEN_STATUSES[progress.stream] as (typeof OPEN_STATUSES)[number];
  const page = await client.queryChats(
    {
      statuses: [status],
      ...(progress.since > 0 ? { createdSince: progress.since } : {}),
      sort: "created",
      order: "asc",
      offset: progress.skip,
      limit: SEED_PAGE,
    },
    { signal },
  );
  const chats = page.chats;
  const totals = [...progress.totals];
  if (totals[progress.stream] === undefined) totals[progress.stream] = page.total;
  const read = { ...progress, pages: progress.pages + 1, chats: progress.chats + chats.length, totals };
  if (page.nextOffset === null || chats.length === 0) {
    const stream = progress.stream + 1;
    return { chats, next: stream < OPEN_STATUSES.length ? { ...read, stream, since: 0, skip: 0, byOffset: false } : undefined };
  }
  const last = chats.at(-1)?.createdAt ?? null;
  // Out of creation order (or no creation times): go on by offset from where this stream stands.
  if (progress.byOffset || last === null || !ascending(chats) || last < progress.since)
    return { chats, next: { ...read, skip: progress.skip + chats.length, byOffset: true } };
  const sameSecond = chats.filter((chat) => chat.createdAt === last).length;
  return { chats, next: { ...read, since: last, skip: last === progress.since ? progress.skip + chats.length : sameSecond } };
}

/** "4,200 of about 20,000 open chats read" */
export function describeProgress(progress: SeedProgress): string {
  const total = progress.totals.reduce((sum, n) => sum + n, 0);
  const known = progress.totals.length >= OPEN_STATUSES.length;
  const of = total > 0 ? ` of ${known ? "" : "at least "}${total.toLocaleString("en-US")}` : "";
  return `${progress.chats.toLocaleString("en-US")}${of} open chats read in ${progress.pages} pages`;
}
