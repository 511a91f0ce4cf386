/**
 * Push to 2026-07-28 clients over stdio: serveStdio's entry serves `subscriptions/listen` and routes
 * the server instance's resources/updated onto the listen streams. In process (the SDK's serveStdio
 * over an in-memory pair, webhooks keeping the mirror fresh), and the built server over real stdio:
 * there a listen is what turns polling on when nothing else keeps the queue fresh.
 */
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_LISTENS_PER_CLIENT } from "../../src/mcp/live-updates.js";
import { createMcpServer } from "../../src/mcp/mcp-server.js";
import { startSandbox } from "../../src/sandbox/index.js";
import { type LiveRig, startLiveRig } from "../helpers/live.js";
import { connectStdio } from "../helpers/spawn.js";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const MODERN = { versionNegotiation: { mode: { pin: "2026-07-28" } } };
const modernClient = () => new Client({ name: "listen-stdio", version: "1" }, MODERN);

/** Every resources/updated URI the client hears; `next(uri)` resolves on the next one for `uri`, or rejects after 2 s. */
function watch(client: Client) {
  const told: string[] = [];
  const waiting = new Map<string, () => void>();
  client.setNotificationHandler("notifications/resources/updated", (n) => {
    told.push(n.params.uri);
    waiting.get(n.params.uri)?.();
  });
  const next = (uri: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no resources/updated for ${uri} within 2 s`)), 2_000);
      waiting.set(uri, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  return { told, next };
}

/** The built server over real stdio, against a sandbox of its own, with a 2026-07-28 client. */
async function builtServer() {
  const sandbox = await startSandbox();
  cleanups.push(() => sandbox.stop());
  const { client, close } = await connectStdio(
    { HELPCRUNCH_BASE_URL: sandbox.url, HELPCRUNCH_API_KEY: sandbox.apiKey, HELPCRUNCH_LOG_LEVEL: "error" },
    [],
    MODERN,
  );
  cleanups.push(close);
  return { sandbox, client };
}

describe("subscriptions/listen (2026-07-28) over stdio", () => {
  it("a customer message reaches a listening client within 2 s; a chat it does not listen to is not told", async () => {
    const rig: LiveRig = await startLiveRig({ noClient: true });
    cleanups.push(() => rig.close());
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const entry = serveStdio(({ era }) => createMcpServer(rig.services, { era }), { transport: serverSide });
    cleanups.push(() => entry.close());
    const client = modernClient();
    await client.connect(clientSide);
    cleanups.push(() => client.close());
    expect(client.getServerCapabilities()?.resources?.subscribe).toBe(true);
    await client.callTool({ name: "triage_queue", arguments: {} });

    const [watched, other] = [...rig.sandbox.state.chats.values()].filter((c) => c.status === "opened").map((c) => c.id);
    const uri = `helpcrunch://chats/${watched}`;
    const { told, next } = watch(client);
    const subscription = await client.listen({ resourceSubscriptions: [uri] });
    expect(subscription.honoredFilter.resourceSubscriptions).toEqual([uri]);
    const seen = next(uri);
    rig.sandbox.customerWrites(other as number, "Not watched.");
    rig.sandbox.customerWrites(watched as number, "Anyone there?");
    await seen;
    await rig.settle();
    expect(told).not.toContain(`helpcrunch://chats/${other}`);
    await subscription.close();
  });

  it("the built server: a listen turns polling on (its first scan follows at once); before it, nothing polls", async () => {
    const { sandbox, client } = await builtServer();
    const scans = () => sandbox.requests.filter((r) => r.path === "/chats/search").length;
    await new Promise((r) => setTimeout(r, 300));
    expect(scans()).toBe(0);
    const subscription = await client.listen({ resourceSubscriptions: ["helpcrunch://queue"] });
    expect(subscription.honoredFilter.resourceSubscriptions).toEqual(["helpcrunch://queue"]);
    for (let i = 0; i < 100 && scans() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(scans()).toBeGreaterThan(0);
    await subscription.close();
  });

  it(`the built server: one connection holds at most ${MAX_LISTENS_PER_CLIENT} listen streams, not the SDK's 1,024`, async () => {
    const { client } = await builtServer();
    const filter = { resourceSubscriptions: ["helpcrunch://queue"] };
    const streams = [];
    for (let i = 0; i < MAX_LISTENS_PER_CLIENT; i++) streams.push(await client.listen(filter));
    await expect(client.listen(filter)).rejects.toThrow(/Subscription limit reached/);
    await streams[0]?.close();
    expect((await client.listen(filter)).honoredFilter).toEqual(filter);
  });
});
