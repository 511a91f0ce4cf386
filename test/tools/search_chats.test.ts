/**
 * Deep pages of a search that runs one HelpCrunch query per status (several statuses and a
 * department): next_cursor keeps each status's own position, so page N costs one request per
 * status. Before, every page re-read each status from offset 0: 34–43 requests at offset 2,000.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchChats } from "../../src/tools/search_chats.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { callOk, golden, goldenWorld } from "../helpers/typed-call.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const ARGS = { status: ["new", "opened", "pending", "onhold", "closed"], department: 2, limit: 100 };

describe("search_chats deep pages", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sandbox: { seed: 3, chatCount: 6_000, now: () => NOW }, now: () => NOW, config: { readBudget: 1_000 } });
  }, 60_000);
  afterAll(() => h.close());

  it("a cursor walks every page at one request per status, in the same order as offsets", async () => {
    const walked: number[] = [];
    const perPage: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      h.sandbox.clearRequests();
      const page = (await callOk(h, searchChats, { ...ARGS, ...(cursor ? { cursor } : {}) })).structured;
      perPage.push(h.sandbox.requests.filter((r) => r.path.endsWith("/search")).length);
      walked.push(...page.chats.map((c) => c.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 40);
    expect(pages).toBeGreaterThan(5);
    expect(Math.max(...perPage.slice(1))).toBeLessThanOrEqual(ARGS.status.length);
    expect(new Set(walked).size).toBe(walked.length);
    // The same chats as paging by offset, page for page.
    const deep = Math.floor(walked.length / 200) * 100;
    const byOffset = (await callOk(h, searchChats, { ...ARGS, offset: deep })).structured;
    expect(byOffset.chats.map((c) => c.id)).toEqual(walked.slice(deep, deep + 100));
  }, 60_000);

  it("a cursor from another search is refused with a sentence, not misused", async () => {
    const first = (await callOk(h, searchChats, ARGS)).structured;
    const result = await h.call("search_chats", { ...ARGS, department: 1, cursor: first.next_cursor });
    expect(result.isError).toBe(true);
    expect(h.text(result)).toMatch(/belongs to a search with other filters/);
  });
});

describe("search_chats's golden answer", () => {
  const world = goldenWorld();

  it("a page of new chats", async () => {
    const answer = await callOk(world.h, searchChats, { status: ["new"], limit: 5 });
    expect(answer.structured.chats).toHaveLength(5);
    await golden("search_chats", answer);
  });
});
