/**
 * The sandbox's webhooks, seen by a plain receiver: every API change and simulated customer message
 * is posted, signed with HMAC-SHA1 of the raw body, in HelpCrunch's envelope and both payload
 * shapes; the fault modes duplicate, shuffle, delay and mis-sign deliveries; changes HelpCrunch
 * documents no event for send none.
 */
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox, type WebhookEnvelope, type WebhookFaults } from "../../src/sandbox/index.js";

const SECRET = "sandbox-webhook-key";
let receiver: Server | undefined;
let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await sandbox?.stop();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  sandbox = receiver = undefined;
});

interface Received {
  body: string;
  signature: string | undefined;
}

/** A receiver that answers 200 and keeps what it got, and a sandbox posting to it. */
async function start(faults: WebhookFaults = {}): Promise<{ received: Received[]; sandbox: SandboxHandle }> {
  const received: Received[] = [];
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        body: Buffer.concat(chunks).toString("utf8"),
        signature: req.headers["x-helpcrunch-signature"] as string,
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, "127.0.0.1", () => resolve()));
  const { port } = receiver.address() as { port: number };
  sandbox = await startSandbox({ chatCount: 30, webhooks: { url: `http://127.0.0.1:${port}/hook`, secret: SECRET, faults } });
  return { received, sandbox };
}

async function put(handle: SandboxHandle, path: string, body: unknown): Promise<number> {
  const res = await fetch(`${handle.url}${path}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${handle.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  await res.body?.cancel();
  return res.status;
}

const envelope = (r: Received) => JSON.parse(r.body) as WebhookEnvelope;
const openChat = (handle: SandboxHandle) => [...handle.state.chats.values()].find((c) => c.status === "opened")?.id ?? 0;

describe("sandbox webhooks", () => {
  it("posts one signed envelope per change, with the documented events, and none for a department change", async () => {
    const { received, sandbox: s } = await start();
    const id = openChat(s);
    expect(await put(s, "/chats/assignee", { id, assignee: null })).toBe(200);
    expect(await put(s, "/chats/department", { id, department: [...s.state.departments.keys()][0] })).toBe(200);
    expect(await put(s, "/chats/snooze", { id, snoozedUntil: Math.floor(Date.now() / 1000) + 600 })).toBe(200);
    expect(await put(s, "/chats/status", { id, status: "closed" })).toBe(200);
    s.customerWrites(id, "hello again");
    await s.webhooks.settle();
    expect(received.map((r) => envelope(r).event)).toEqual(["assigned", "snoozed", "closed", "message.chat.customer"]);
    for (const r of received) {
      expect(r.signature).toBe(createHmac("sha1", SECRET).update(r.body).digest("hex"));
      expect(Object.keys(envelope(r)).sort()).toEqual(["attempts", "createdAt", "event", "eventData", "id", "lastAttemptAt"]);
    }
    const message = envelope(received[3] as Received).eventData;
    expect(message.chat_id ?? (message.chat as { id: number }).id).toBe(id);
    expect(s.webhooks.deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200]);
  });

  it("fault modes: duplicates, out of order, delayed, bad signature (all at once)", async () => {
    const { received, sandbox: s } = await start({ duplicates: 1, outOfOrder: 4, delayMs: 50, badSignature: true });
    const id = openChat(s);
    for (const text of ["a", "b"]) s.customerWrites(id, text);
    await s.webhooks.settle();
    const ids = received.map((r) => envelope(r).id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(2);
    // Shuffled (the fault's choices are seeded, so this order is the same every run): not as emitted.
    expect(ids).not.toEqual([ids[0], ids[0], ids[2], ids[2]]);
    for (const r of received) expect(r.signature).not.toBe(createHmac("sha1", SECRET).update(r.body).digest("hex"));
  });
});
