/**
 * The live queue's economy: an agent that polls triage_queue every minute through a busy hour
 * (~200 changes: customers writing, agents replying, assigning, snoozing, closing, new chats),
 * once with webhooks keeping the mirror fresh and `since` asking only for changes, once as before
 * (a full scan and the whole ranked list every minute). One sandbox, one clock, the same changes
 * for both; requests are what the server sends HelpCrunch (reads), the simulation's own writes
 * excluded.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { encode } from "gpt-tokenizer";
import { prng } from "../src/sandbox/seed-data.js";
import { startLiveRig } from "../test/helpers/live.js";
import { round, table } from "./stats.js";

const tokens = (text: string) => encode(text).length;
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

const MINUTES = 60;
const EVENTS = 200;

export async function liveQueueEconomy(report: (title: string, body: string) => void, start: number): Promise<void> {
  let clock = start;
  const now = () => clock;
  const live = await startLiveRig({ sandbox: { seed: 42, now }, now });
  const before = await startLiveRig({ sameAccountAs: live.sandbox, now, config: { webhookSecret: undefined } });
  const { sandbox } = live;
  const random = prng(2026);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)] as T;
  const api = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${sandbox.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    await res.body?.cancel();
  };
  /** One change of a busy support hour, on an open chat (or a new one). */
  const change = async () => {
    const open = [...sandbox.state.chats.values()].filter((c) => ["new", "opened", "pending", "onhold"].includes(c.status));
    const chat = pick(open);
    const agent = pick([...sandbox.state.agents.keys()]);
    const roll = random();
    if (roll < 0.45) return sandbox.customerWrites(chat.id, "Any update on this? I am still waiting.");
    if (roll < 0.7) return api("POST", "/messages", { chat: chat.id, text: "Looking into it now.", agent, type: "message" });
    if (roll < 0.8) return api("PUT", "/chats/status", { id: chat.id, status: pick(["closed", "pending", "closed"]) });
    if (roll < 0.9) return api("PUT", "/chats/assignee", { id: chat.id, assignee: agent });
    if (roll < 0.95) return api("PUT", "/chats/snooze", { id: chat.id, snoozedUntil: Math.floor(clock / 1000) + 3600 });
    const customer = pick([...sandbox.state.customers.keys()]);
    await api("POST", "/chats", { customer, application: [...sandbox.state.applications.keys()][0] });
    const created = [...sandbox.state.chats.values()].at(-1);
    if (created) sandbox.customerWrites(created.id, "Hi, I cannot log in.");
  };
  const reads = () => sandbox.requests.filter((r) => r.method === "GET" || r.path === "/chats/search").length;

  const totals = {
    liveRequests: 0,
    liveBackground: 0,
    liveText: 0,
    liveStructured: 0,
    beforeRequests: 0,
    beforeText: 0,
    beforeStructured: 0,
  };
  let cursor: string | undefined;
  let events = 0;
  for (let minute = 0; minute < MINUTES; minute++) {
    sandbox.clearRequests();
    const due = Math.round(((minute + 1) * EVENTS) / MINUTES) - Math.round((minute * EVENTS) / MINUTES);
    for (let i = 0; i < due; i++) {
      clock += Math.floor(60_000 / (due + 1));
      await change();
      events++;
    }
    clock = start + (minute + 1) * 60_000;
    await live.settle();
    totals.liveBackground += reads();

    sandbox.clearRequests();
    const delta = await live.call("triage_queue", { limit: 20, ...(cursor ? { since: cursor } : {}) });
    cursor = (delta.structuredContent as { cursor: string }).cursor;
    totals.liveRequests += reads();
    totals.liveText += tokens(textOf(delta));
    totals.liveStructured += tokens(JSON.stringify(delta.structuredContent));

    sandbox.clearRequests();
    const full = await before.call("triage_queue", { limit: 20 });
    totals.beforeRequests += reads();
    totals.beforeText += tokens(textOf(full));
    totals.beforeStructured += tokens(JSON.stringify(full.structuredContent));
  }
  await before.close();
  await live.close();

  const per = (n: number) => round(n / MINUTES, 1);
  const saved = (mirror: number, scan: number) => `${round(100 * (1 - mirror / scan), 1)}%`;
  const liveAll = totals.liveRequests + totals.liveBackground;
  report(
    "7. Live queue: an agent polling every minute through a busy hour",
    `${table(
      ["per poll (average of 60)", "full triage_queue (before)", "mirror + since (webhooks)", "saved"],
      [
        [
          "HelpCrunch requests made by the poll",
          per(totals.beforeRequests),
          per(totals.liveRequests),
          saved(totals.liveRequests, totals.beforeRequests),
        ],
        ["… plus the webhook-driven reads between polls", "—", per(liveAll), saved(liveAll, totals.beforeRequests)],
        ["text tokens", per(totals.beforeText), per(totals.liveText), saved(totals.liveText, totals.beforeText)],
        [
          "structuredContent tokens",
          per(totals.beforeStructured),
          per(totals.liveStructured),
          saved(totals.liveStructured, totals.beforeStructured),
        ],
      ],
    )}\n\n${events} changes in ${MINUTES} minutes on the sandbox (seed 42, ${sandbox.state.chats.size} chats), delivered as signed webhooks. The live side's requests are the first poll's scan (the seed), the rescans every 15 minutes (HelpCrunch sends no webhook for a department change or a read marker), and chat reads for messages in chats the mirror did not hold. Goal: ≥ 90% fewer tokens per poll, ≤ 1 request per poll on average.`,
  );
}
