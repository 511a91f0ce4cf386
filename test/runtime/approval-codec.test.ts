/**
 * The sealing of 2026-07-28 approval rounds: a state holds for 15 minutes and no longer, only for
 * the person (OAuth client) it was minted for, and only under the key that sealed it. The end-to-end
 * refusals (tampered, re-targeted, replayed, another replica's key) are in test/e2e/confirm-modern.test.ts
 * and test/redis/approval-replicas.test.ts; expiry is proven here, where the clock can be moved.
 */
import type { ServerContext } from "@modelcontextprotocol/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApprovalCodec } from "../../src/runtime/approval-rounds.js";

const SECRET = "approval-codec-test-secret-0123456789abcdef";
const binding = { tool: "send_message", subject: "chat 7, agent 1, customer 9" };
const ctxFor = (clientId?: string) =>
  ({ mcpReq: { method: "tools/call" }, http: clientId ? { authInfo: { clientId } } : undefined }) as unknown as ServerContext;

afterEach(() => vi.useRealTimers());

describe("the approval state codec", () => {
  it("verifies a state for 15 minutes and refuses it after", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-06T10:00:00Z") });
    const codec = createApprovalCodec(SECRET);
    const state = await codec.mint(binding, ctxFor());
    vi.setSystemTime(new Date("2026-12-06T10:14:59Z"));
    await expect(codec.verify(state, ctxFor())).resolves.toEqual(binding);
    vi.setSystemTime(new Date("2026-12-06T10:15:02Z"));
    await expect(codec.verify(state, ctxFor())).rejects.toThrow(/expired/);
  });

  it("refuses a state minted for another signed-in client", async () => {
    const codec = createApprovalCodec(SECRET);
    const state = await codec.mint(binding, ctxFor("alice"));
    await expect(codec.verify(state, ctxFor("alice"))).resolves.toEqual(binding);
    await expect(codec.verify(state, ctxFor("mallory"))).rejects.toThrow();
  });

  it("refuses a state sealed under another key, and a random per-process key is never another process's", async () => {
    const state = await createApprovalCodec(SECRET).mint(binding, ctxFor());
    await expect(createApprovalCodec(`${SECRET}-other`).verify(state, ctxFor())).rejects.toThrow();
    await expect(createApprovalCodec(undefined).verify(state, ctxFor())).rejects.toThrow();
  });
});
