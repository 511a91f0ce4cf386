/**
 * Approval-card drafts in Redis (src/shared-state/shared-approval-drafts.ts) against a real
 * redis-server: a draft minted by one process is taken by another exactly once, an expired one is
 * told apart from an unknown token, the token never appears in a key, and without Redis nothing is
 * stored or taken (one sentence saying nothing was sent).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import type { StoredDraft } from "../../src/services/approval-drafts.js";
import { openStore } from "../../src/shared-state/index.js";
import { SharedApprovalDrafts } from "../../src/shared-state/shared-approval-drafts.js";
import type { SharedStore } from "../../src/shared-state/store.js";
import { ToolError } from "../../src/tool-error.js";
import { type RedisServer, redisMissing, startRedis } from "../helpers/redis.js";

let redis: RedisServer;
const stores: SharedStore[] = [];
const DRAFT: Omit<StoredDraft, "expiresAt"> = {
  tool: "send_message",
  chatId: 42,
  agentId: 7,
  audience: "customer",
  text: "Your refund is on its way.",
  request: { method: "POST", path: "/messages", body: { chat: 42, text: "Your refund is on its way.", agent: 7, type: "message" } },
};

beforeAll(async () => {
  if (redisMissing) return;
  redis = await startRedis();
});
afterAll(async () => {
  for (const store of stores) store.redis.disconnect();
  await redis?.close();
});

async function store(): Promise<SharedStore> {
  const opened = await openStore(
    redis.url,
    `drafts-key-${process.pid}`,
    createLogger("silent", [], () => {}),
  );
  stores.push(opened);
  return opened;
}

describe.skipIf(redisMissing)("SharedApprovalDrafts", () => {
  it("a draft minted in one process is taken in another exactly once, and its key is a hash", async () => {
    const [a, b] = [new SharedApprovalDrafts(await store()), new SharedApprovalDrafts(await store())];
    const { token } = await a.mint(DRAFT);
    const keys = await (stores[0] as SharedStore).redis.keys("*draft:*");
    expect(keys.some((k) => k.includes(token))).toBe(false);
    const [first, second] = await Promise.all([b.take(token), a.take(token)]);
    const states = [first.state, second.state].sort();
    expect(states).toEqual(["ok", "unknown"]);
    expect((first.state === "ok" ? first : second) as { draft: StoredDraft }).toMatchObject({
      draft: { chatId: 42, agentId: 7, text: DRAFT.text },
    });
  });

  it("a draft checked in one process is still there to take in another (a refused Send leaves the card usable)", async () => {
    const [a, b] = [new SharedApprovalDrafts(await store()), new SharedApprovalDrafts(await store())];
    const { token } = await a.mint(DRAFT);
    expect(await b.peek(token)).toMatchObject({ state: "ok", draft: { chatId: 42, text: DRAFT.text } });
    expect((await a.take(token)).state).toBe("ok");
    expect((await b.peek(token)).state).toBe("unknown");
  });

  it("an expired draft is told apart from an unknown token", async () => {
    let now = Date.now();
    const drafts = new SharedApprovalDrafts(await store(), () => now, 60_000);
    const { token } = await drafts.mint(DRAFT);
    now += 61_000;
    expect((await drafts.take(token)).state).toBe("expired");
    expect((await drafts.take(token)).state).toBe("unknown");
  });

  it("without Redis nothing is minted or taken", async () => {
    const s = await store();
    const drafts = new SharedApprovalDrafts(s);
    const { token } = await drafts.mint(DRAFT);
    await redis.stop();
    await expect(drafts.take(token)).rejects.toThrow(ToolError);
    await expect(drafts.mint(DRAFT)).rejects.toThrow(/^Nothing was sent: Redis/);
  });
});
