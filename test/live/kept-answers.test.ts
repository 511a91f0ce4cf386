/**
 * Over stateless HTTP, triage_queue's whole-queue answer from a kept live answer is sent again as
 * the same bytes to every client that asks in the same minute while the mirror is unchanged (the
 * tool does not run again); a change to the mirror makes a new answer, and a call with `since` or a
 * narrowed view always runs.
 */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { triageQueue } from "../../src/tools/triage_queue.js";
import { type LiveRig, startLiveRig } from "../helpers/live.js";
import { parsed } from "../helpers/typed-call.js";

let rig: LiveRig | undefined;
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await rig?.close();
  rig = undefined;
});

async function httpClient(url: string): Promise<Client> {
  const client = new Client({ name: `kept-${clients.length}`, version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  clients.push(client);
  return client;
}

describe("kept live answers over HTTP", () => {
  it("are sent again unchanged within the minute, and made anew once the mirror changes", async () => {
    // The calls below take a few seconds: start them early in a minute, so they share it.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 40_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
    rig = await startLiveRig();
    await rig.call("triage_queue", {}); // seeds the mirror
    await rig.settle();
    const [a, b] = [await httpClient(rig.http.url), await httpClient(rig.http.url)];
    const first = await a.callTool({ name: "triage_queue", arguments: {} });
    expect(parsed(triageQueue, first).source).toMatch(/^Live queue \(webhooks, 0 requests, as of/);

    const answers = vi.spyOn(rig.services.liveQueue, "answer");
    const again = await b.callTool({ name: "triage_queue", arguments: {} });
    expect(again).toEqual(first);
    expect(answers).not.toHaveBeenCalled();

    // A since poll and a narrowed view are the caller's own: the tool runs.
    const since = await b.callTool({ name: "triage_queue", arguments: { since: parsed(triageQueue, first).cursor } });
    expect(parsed(triageQueue, since).chats).toEqual([]);
    await b.callTool({ name: "triage_queue", arguments: { assignee: "unassigned" } });
    expect(answers).toHaveBeenCalledTimes(2);

    // A customer writes: the webhook moves the mirror on, and the next answer is made anew.
    const top = parsed(triageQueue, first).chats[3];
    rig.sandbox.customerWrites(top?.id ?? 0, "Any news?");
    await rig.settle();
    const after = await a.callTool({ name: "triage_queue", arguments: {} });
    expect(answers).toHaveBeenCalledTimes(3);
    expect(parsed(triageQueue, after).cursor).not.toBe(parsed(triageQueue, first).cursor);
  });
});
