/** Team availability (GET /organization) in triage_queue's briefing and structuredContent, cached like the directory. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { triageQueue } from "../../src/tools/triage_queue.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { callOk } from "../helpers/typed-call.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ sandbox: { seed: 11 } });
});
afterAll(() => h.close());

describe("team availability", () => {
  it("says nothing while someone is online, one phrase when nobody is, and asks HelpCrunch once a minute at most", async () => {
    const online = await callOk(h, triageQueue, { limit: 3 });
    expect(online.text).not.toMatch(/no agent online|widget is off/);
    expect(online.structured.counts).toMatchObject({ team_online: true, chat_enabled: true });

    h.sandbox.state.organization.teamOnline = false;
    h.sandbox.state.organization.chatEnabled = false;
    h.sandbox.clearRequests();
    // Still cached: the change shows after the availability's one-minute TTL, not on every call.
    await h.call("triage_queue", { limit: 3 });
    expect(h.sandbox.requests.filter((r) => r.path === "/organization")).toHaveLength(0);

    const fresh = await startHarness({ sandbox: { seed: 11 } });
    try {
      fresh.sandbox.state.organization.teamOnline = false;
      fresh.sandbox.state.organization.chatEnabled = false;
      const offline = await callOk(fresh, triageQueue, { limit: 3 });
      expect(offline.text.split("\n")[0]).toMatch(/ · no agent online, the chat widget is off\.$/);
      expect(offline.structured.counts).toMatchObject({ team_online: false, chat_enabled: false });
    } finally {
      await fresh.close();
    }
  });
});
