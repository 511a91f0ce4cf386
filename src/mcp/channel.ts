/**
 * HELPCRUNCH_CHANNEL=true on stdio: new customer messages, and chats whose reply target (SLA) has
 * just passed, become Claude Code channel events
 * (`notifications/claude/channel`, a research-preview feature of that one client, opted into with
 * `claude --channels` / `--dangerously-load-development-channels`), so a running session hears
 * about them without asking. What an event says is src/present/channel-event.ts's (the customer's
 * text fenced and sanitised like every output); here it is pseudonymised under HELPCRUNCH_REDACT,
 * and sent at most CHANNEL_EVENTS_PER_MINUTE a minute, the rest summed up in one event that points
 * at triage_queue.
 */
import type { McpServer } from "@modelcontextprotocol/server";
import type { Chat } from "../helpcrunch/index.js";
import { type ChannelEvent, customerMessageEvent, heldBackEvent, slaBreachEvent } from "../present/channel-event.js";
import type { ToolServices } from "../runtime/context.js";
import { pseudonymsFor } from "../runtime/define-tool.js";
import { DEFAULT_POLL_SECONDS } from "../services/live-queue.js";

export const CHANNEL_METHOD = "notifications/claude/channel";
export const CHANNEL_EVENTS_PER_MINUTE = 10;
/** Chats whose last customer message time is remembered (the oldest are forgotten first). */
const MAX_TRACKED = 20_000;
/** How often the mirror is searched for reply targets that just passed: time alone breaks them, no webhook says so. */
export const SLA_CHECK_MS = 30_000;

/**
 * The chats whose reply target passed since the last look. The first look at a seeded mirror only
 * learns which were overdue already: a session is told of breaches as they happen, not of the backlog
 * (triage_queue ranks that). A clock is one chat's one due time, so a chat is told again when the
 * customer's next message starts a new clock that also runs out.
 */
class BreachWatch {
  private told = new Set<string>();
  private primed = false;

  news(chats: Chat[], services: ToolServices): ChannelEvent[] {
    const events: ChannelEvent[] = [];
    const now = services.now();
    for (const chat of chats) {
      const clock = services.sla.clockFor(chat, now);
      if (clock?.state !== "breached") continue;
      const key = `${chat.id}@${clock.dueAt}`;
      if (this.told.has(key)) continue;
      this.told.add(key);
      if (this.told.size > MAX_TRACKED) this.told.delete(this.told.values().next().value as string);
      const found = this.primed ? slaBreachEvent(chat, now, services.sla) : undefined;
      if (found) events.push(found);
    }
    this.primed = true;
    return events;
  }
}

/** Sends channel events for this stdio connection until it closes. */
export function serveChannel(server: McpServer, services: ToolServices): void {
  const live = services.liveQueue;
  server.server.registerCapabilities({ experimental: { "claude/channel": {} } });
  // Nothing reaches stdio but polling: turn it on when nothing else keeps the queue fresh.
  if (!live.kept) live.startPolling(DEFAULT_POLL_SECONDS);
  const seen = new Map<number, number>();
  // Customer messages from this second on are news (HelpCrunch's chat times are whole seconds).
  const startedAt = Math.floor(services.now() / 1000) * 1000 - 1;
  let window = { start: 0, sent: 0, held: 0 };
  const send = (event: ChannelEvent) =>
    void server.server.notification({ method: CHANNEL_METHOD, params: { ...event } }).catch(() => undefined);
  const sumUp = () => {
    if (window.held) send(heldBackEvent(window.held));
    window.held = 0;
  };
  // A chat's event, pseudonymised (HELPCRUNCH_REDACT) as every result is.
  const emit = (event: ChannelEvent) => {
    const now = Date.now();
    if (now - window.start >= 60_000) window = { start: now, sent: 0, held: 0 };
    if (window.sent < CHANNEL_EVENTS_PER_MINUTE) {
      window.sent++;
      return send({ ...event, content: pseudonymsFor(services.config).result({ text: event.content, structured: {} }).text });
    }
    // The first message over the limit schedules one summary at the end of the minute.
    if (window.held++ === 0) setTimeout(sumUp, window.start + 60_000 - now).unref();
  };
  // Reply targets pass with time: looked for after each change and every SLA_CHECK_MS.
  const breaches = new BreachWatch();
  const checkBreaches = () =>
    void (async () => {
      const state = await live.snapshot();
      if (state.seededAt !== undefined) for (const found of breaches.news(state.chats, services)) emit(found);
    })().catch(() => undefined);
  const timer = services.sla.enabled ? setInterval(checkBreaches, SLA_CHECK_MS) : undefined;
  timer?.unref();
  const unsubscribe = live.onPublished((chatIds) => {
    void (async () => {
      for (const id of chatIds) {
        const chat = await live.chat(id);
        const at = chat?.lastCustomerMessageAt ?? 0;
        const before = seen.get(id) ?? startedAt;
        if (chat) seen.set(id, at);
        if (seen.size > MAX_TRACKED) seen.delete(seen.keys().next().value as number);
        if (!chat || at <= before) continue;
        const found = customerMessageEvent(chat, services.now(), services.sla);
        if (found) emit(found);
      }
      if (services.sla.enabled) checkBreaches();
    })().catch(() => undefined);
  });
  const stop = () => {
    unsubscribe();
    clearInterval(timer);
  };
  const previous = server.server.onclose;
  server.server.onclose = () => {
    stop();
    previous?.();
  };
}
