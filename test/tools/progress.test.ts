/**
 * Progress and deadlines: no notification after or with the result,
 * progress while a call waits on the rate limiter, and a per-chat report when the deadline comes.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { CallProgress, QUIET_BEFORE_RESULT_MS } from "../../src/runtime/progress.js";
import { unsnoozeChat } from "../../src/tools/unsnooze_chat.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { parsed } from "../helpers/typed-call.js";

type Sent = { progress: number; total?: number; message?: string };

function recorder(delayMs = 0) {
  const sent: Sent[] = [];
  const events: string[] = [];
  const send = async (p: Sent) => {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    sent.push(p);
    events.push(`sent ${p.progress}`);
  };
  return { sent, events, send };
}

describe("CallProgress", () => {
  it("never announces the final step: the result does", async () => {
    const r = recorder();
    const progress = new CallProgress(r.send, new AbortController().signal);
    for (let done = 1; done <= 4; done++) progress.step(done, 4);
    await progress.answer();
    expect(r.sent.map((s) => s.progress)).toEqual([1, 2, 3]);
  });

  it("sends nothing once the call is answering, and nothing after cancellation", async () => {
    const r = recorder();
    const controller = new AbortController();
    const progress = new CallProgress(r.send, controller.signal);
    progress.step(1, 10);
    controller.abort();
    progress.step(2, 10);
    const answered = progress.answer();
    progress.step(3, 10);
    progress.waiting(5_000, "HelpCrunch's rate limit");
    await answered;
    expect(r.sent.map((s) => s.progress)).toEqual([1]);
  });

  it("the answer waits until the last notification is written, then a quiet gap", async () => {
    const r = recorder(30);
    const progress = new CallProgress(r.send, new AbortController().signal);
    progress.step(1, 3);
    progress.step(2, 3);
    await progress.answer();
    r.events.push("answered");
    expect(r.events).toEqual(["sent 1", "sent 2", "answered"]);
    expect(QUIET_BEFORE_RESULT_MS).toBeGreaterThan(0);
  });

  it("waiting notices increase the progress value without reaching the next step, at most one a second", async () => {
    const r = recorder();
    let clock = 0;
    const progress = new CallProgress(r.send, new AbortController().signal, () => clock);
    progress.step(2, 5);
    progress.waiting(3_000, "HelpCrunch's rate limit");
    progress.waiting(3_000, "HelpCrunch's rate limit"); // same instant: throttled
    clock = 1_500;
    progress.waiting(2_000, "HelpCrunch's rate limit");
    progress.step(3, 5);
    clock = 5_000;
    await progress.answer();
    const values = r.sent.map((s) => s.progress);
    expect(values).toEqual([2, 2.5, 2.75, 3]);
    expect(r.sent[1]).toEqual({ progress: 2.5, total: 5, message: "waiting 3 s for HelpCrunch's rate limit" });
  });

  it("is a no-op without a progressToken", async () => {
    const progress = new CallProgress(undefined, new AbortController().signal);
    progress.step(1, 2);
    progress.waiting(1_000, "x");
    await expect(progress.answer()).resolves.toBeUndefined();
  });
});

describe("waits and deadlines through a real call", () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  async function openChatIds(harness: Harness, count: number): Promise<number[]> {
    return [...harness.sandbox.state.chats.values()]
      .filter((c) => c.status === "opened")
      .slice(0, count)
      .map((c) => c.id);
  }

  it("a call held by the rate limiter tells the client it is waiting", async () => {
    h = await startHarness({
      sandbox: { seed: 5 },
      config: { rateLimitPerMinute: 2 },
      client: { rateLimitWindowMs: 1_200, maxConcurrency: 1 },
    });
    const ids = await openChatIds(h, 4);
    const messages: string[] = [];
    const result = (await h.mcp.callTool(
      { name: "unsnooze_chat", arguments: { chat_ids: ids } },
      {
        onprogress: (p) => void messages.push(p.message ?? ""),
      },
    )) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(messages.some((m) => /^waiting \d+ s for HelpCrunch's rate limit$/.test(m))).toBe(true);
  });

  it("at the call's deadline a bulk write reports per chat what was done and what was not sent", async () => {
    h = await startHarness({
      sandbox: { seed: 5 },
      config: { rateLimitPerMinute: 2, callTimeoutMs: 1_000 },
      client: { rateLimitWindowMs: 30_000, maxConcurrency: 1 },
    });
    const ids = await openChatIds(h, 5);
    const s = parsed(unsnoozeChat, await h.call("unsnooze_chat", { chat_ids: ids }));
    expect(s.succeeded).toBe(2);
    expect(s.failed).toBe(3);
    for (const r of s.results.filter((x) => !x.ok))
      expect(r.error).toMatch(/past this call's time limit; nothing was sent|Not attempted: the call reached its time limit/);
    expect(h.writes()).toHaveLength(2);
  });
});
