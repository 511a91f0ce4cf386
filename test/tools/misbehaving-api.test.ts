/**
 * An API that misbehaves: it ignores `limit`, sends a huge body, sends
 * one unreadable timestamp, or returns only chats the status check drops. Each answer stays bounded
 * and readable. Before the fix: 300 chats for limit 5, a whole page lost to one "NaN", "Chats none of 1."
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { searchChats } from "../../src/tools/search_chats.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { callOk } from "../helpers/typed-call.js";

let h: Harness;
let rawChats: Array<Record<string, unknown>>;

beforeAll(async () => {
  h = await startHarness({ sandbox: { seed: 8, chatCount: 120 } });
  const res = await fetch(`${h.sandbox.url}/chats?limit=100`, { headers: { authorization: `Bearer ${h.sandbox.apiKey}` } });
  rawChats = ((await res.json()) as { data: Array<Record<string, unknown>> }).data;
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.clearRequests();
  h.sandbox.clearFaults();
});

/** The next POST /chats/search answers `body` with HTTP 200. */
function nextSearchAnswers(body: unknown, times = 1): void {
  h.sandbox.addFault({ method: "POST", path: "/chats/search", times, fault: { type: "status", status: 200, body } });
}

const opened = () => rawChats.filter((c) => c.status === "opened" || c.status === 2);

describe("an API that ignores limit", () => {
  it("search_chats limit 5 shows at most 5 chats, however many come back", async () => {
    const many = [...opened(), ...opened(), ...opened()].slice(0, 300).map((c, i) => ({ ...c, id: 900_000 + i, status: "opened" }));
    nextSearchAnswers({ data: many, meta: { total: many.length } });
    const { structured } = await callOk(h, searchChats, { status: ["opened"], limit: 5 });
    expect(structured.chats).toHaveLength(5);
    expect(h.logs.some((l) => l.includes("with limit 5; only the first 5 were used"))).toBe(true);
  });

  it("an answer over 10 MB is not read; the call says so in one sentence", async () => {
    nextSearchAnswers({ data: [], meta: { total: 0 }, pad: "x".repeat(10_500_000) });
    const result = await h.call("search_chats", { status: ["opened"], limit: 5 });
    expect(result.isError).toBe(true);
    expect(h.text(result)).toBe("HelpCrunch's answer to POST /chats/search was over 10 MB and was not read; ask for fewer items.");
  });
});

describe("one unreadable field", () => {
  it('a "NaN" or 1e20 timestamp costs that field, not the page', async () => {
    const page: Array<Record<string, unknown>> = opened()
      .slice(0, 4)
      .map((c) => ({ ...c, status: "opened" }));
    page[1] = { ...page[1], lastMessageAt: "NaN", createdAt: 1e20 };
    nextSearchAnswers({ data: page, meta: { total: page.length } });
    const { structured } = await callOk(h, searchChats, { status: ["opened"], limit: 10 });
    expect(structured.chats.map((c) => c.id)).toEqual(page.map((c) => c.id));
    expect(h.logs.some((l) => l.includes("unreadable field(s), shown as unknown"))).toBe(true);
  });

  it("triage_queue ranks the queue around a chat with a bad timestamp", async () => {
    const page = opened().map((c, i) => (i === 0 ? { ...c, lastCustomerMessageAt: "NaN" } : c));
    nextSearchAnswers({ data: page, meta: { total: page.length } }, 10);
    const result = await h.call("triage_queue", { limit: 5 });
    expect(result.isError).toBeFalsy();
  });
});

describe("every returned chat dropped by the status check", () => {
  it("says why the page is empty instead of 'Chats none of 1.'", async () => {
    nextSearchAnswers({ data: [{ ...opened()[0], status: "closed" }], meta: { total: 1 } });
    const result = await h.call("search_chats", { status: ["opened"], limit: 5 });
    expect(h.text(result).split("\n")[0]).toBe(
      "No matching chats on this page: HelpCrunch counted 1, but none of the chats it returned matched the filters.",
    );
  });
});
