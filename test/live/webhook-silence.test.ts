/**
 * Webhooks that stop (here: signed with another key, as after a rotated signing key) leave a mirror
 * nobody tells of changes. After HELPCRUNCH_WEBHOOK_SILENCE_SECONDS with no event, one background
 * query asks HelpCrunch what changed; a change the mirror never heard of makes it stale, and the
 * answer scans instead of calling it live, until an event arrives again. A quiet account with
 * working webhooks stays live, at one request per silence.
 */
import { afterEach, describe, expect, it } from "vitest";
import { triageOutputSchema } from "../../src/tools/triage_queue.js";
import { type LiveRig, startLiveRig } from "../helpers/live.js";

let rig: LiveRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const sourceOf = async (r: LiveRig) => triageOutputSchema.parse((await r.call("triage_queue", {})).structuredContent).source;

describe("webhooks that stop", () => {
  it("a quiet account stays live; changes no webhook told of make the mirror stale, never live", async () => {
    let offset = 0;
    rig = await startLiveRig({ sandbox: { chatCount: 60 }, config: { webhookSilenceSeconds: 60 }, now: () => Date.now() + offset });
    const live = rig.services.liveQueue;
    await rig.call("triage_queue", {}); // seeds the mirror
    await rig.settle();
    expect(await sourceOf(rig)).toMatch(/^Live queue \(webhooks, 0 requests/);

    // Quiet, webhooks fine: after the silence one check finds nothing new, and the mirror stays live.
    offset += 90_000;
    const quiet = rig.sandbox.requests.length;
    await live.settled();
    expect(rig.sandbox.requests.length - quiet).toBe(1);
    expect(await sourceOf(rig)).toMatch(/^Live queue \(webhooks, 0 requests/);

    // Webhooks stop; a customer writes.
    rig.sandbox.webhooks.setFaults({ badSignature: true });
    const chat = [...rig.sandbox.state.chats.values()].find((c) => c.status === "opened");
    rig.sandbox.customerWrites(chat?.id ?? 0, "is anyone there?");
    await rig.settle();
    offset += 90_000;
    await live.settled();
    const source = await sourceOf(rig);
    expect(source).not.toMatch(/^Live queue/);
    expect(source).toMatch(/^Scanned HelpCrunch now \(\d+ requests; live queue stale: no webhook event for/);
    // Still not live while no event comes, however often the queue is re-read.
    expect(await sourceOf(rig)).not.toMatch(/^Live queue/);

    // Webhooks come back: the next event ends it.
    rig.sandbox.webhooks.setFaults({});
    rig.sandbox.customerWrites(chat?.id ?? 0, "hello again");
    await rig.settle();
    await live.settled();
    expect(await sourceOf(rig)).toMatch(/^Live queue \(webhooks, 0 requests, as of [0-9:]+ UTC: last event/);
  });
});
