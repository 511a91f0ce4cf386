/** Offset/limit paging against a fake list: totals, short pages, lying servers. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collectAll, MAX_PAGE_SIZE, type PageFetcher, paginate } from "../../src/helpcrunch/paginate.js";

/** A list of `size` items served `cap` at a time at most, optionally without a total. */
function server(size: number, options: { cap?: number; reportTotal?: boolean; total?: number } = {}) {
  const calls: Array<[number, number]> = [];
  const fetchPage: PageFetcher<number> = async (offset, limit) => {
    calls.push([offset, limit]);
    const data = Array.from({ length: size }, (_, i) => i).slice(offset, offset + Math.min(limit, options.cap ?? limit));
    const reported = options.reportTotal ?? true;
    return { data, total: reported ? (options.total ?? size) : data.length, rawCount: data.length, totalReported: reported };
  };
  return { fetchPage, calls };
}

describe("paginate", () => {
  it("fetches every item exactly once with the fewest requests, whatever the size and page size", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 450 }),
        fc.integer({ min: 1, max: 150 }),
        fc.boolean(),
        async (size, pageSize, reportTotal) => {
          const { fetchPage, calls } = server(size, { reportTotal });
          const items = await collectAll(fetchPage, { pageSize });
          expect(items).toEqual(Array.from({ length: size }, (_, i) => i));
          const limit = Math.min(pageSize, MAX_PAGE_SIZE);
          expect(calls.every(([, l]) => l === limit)).toBe(true);
          // With a total we stop at it; without one we need a short (possibly empty) page to know.
          const needed = reportTotal ? Math.max(1, Math.ceil(size / limit)) : Math.floor(size / limit) + 1;
          expect(calls).toHaveLength(needed);
        },
      ),
    );
  });

  it("walks on when HelpCrunch serves fewer items than asked but reports a larger total", async () => {
    const { fetchPage, calls } = server(130, { cap: 50 });
    expect(await collectAll(fetchPage)).toHaveLength(130);
    expect(calls.map(([offset]) => offset)).toEqual([0, 50, 100]);
  });

  it("stops at an empty page when the total overstates the list", async () => {
    const { fetchPage, calls } = server(120, { total: 1_000 });
    expect(await collectAll(fetchPage)).toHaveLength(120);
    expect(calls.map(([offset]) => offset)).toEqual([0, 100, 120]);
  });

  it("stops at maxItems when a server ignores offset and never sends a total", async () => {
    let calls = 0;
    const stuck: PageFetcher<number> = async () => {
      calls++;
      return { data: Array.from({ length: 100 }, (_, i) => i), total: 100, rawCount: 100, totalReported: false };
    };
    expect(await collectAll(stuck, { maxItems: 500 })).toHaveLength(500);
    expect(calls).toBe(5);
  });

  it("advances by what HelpCrunch returned, not by what a client-side guard kept", async () => {
    const offsets: number[] = [];
    const guarded: PageFetcher<number> = async (offset) => {
      offsets.push(offset);
      const raw = Array.from({ length: 100 }, (_, i) => offset + i).filter((i) => i < 250);
      return { data: raw.filter((i) => i % 2 === 0), total: 250, rawCount: raw.length };
    };
    const pages: number[][] = [];
    for await (const page of paginate(guarded, { offset: 0 })) pages.push(page);
    expect(offsets).toEqual([0, 100, 200]);
    expect(pages.flat()).toHaveLength(125);
  });

  it("starts at the given offset and clamps the page size to 1–100", async () => {
    const { fetchPage, calls } = server(30);
    expect(await collectAll(fetchPage, { offset: 25, pageSize: 0 })).toEqual([25, 26, 27, 28, 29]);
    expect(calls[0]).toEqual([25, 1]);
    const big = server(10);
    await collectAll(big.fetchPage, { pageSize: 1_000 });
    expect(big.calls[0]).toEqual([0, 100]);
  });

  it("stops pulling when the consumer stops", async () => {
    const { fetchPage, calls } = server(1_000);
    for await (const page of paginate(fetchPage)) {
      expect(page).toHaveLength(100);
      break;
    }
    expect(calls).toHaveLength(1);
  });
});
