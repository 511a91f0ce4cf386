/**
 * The sandbox's webhooks: after every change it posts what HelpCrunch would, signed the way
 * HelpCrunch signs (hex HMAC-SHA1 of the raw body in X-HelpCrunch-Signature), in HelpCrunch's
 * envelope `{event, eventData, attempts, lastAttemptAt, createdAt, id}`.
 *
 * Payload shapes vary on purpose, as the docs show them: chat events carry the chat itself (even
 * chat ids) or `{chat}` (odd); message events name the chat `chat_id` (even message ids) or
 * `chat: {id}` (odd); the envelope's createdAt is milliseconds (even) or seconds with a fraction
 * (odd). Changes HelpCrunch documents no event for (department, read markers) send none.
 *
 * Faults, for tests and the demo: `duplicates` (share of events delivered twice), `outOfOrder`
 * (events held in groups of this many and released shuffled), `delayMs`, `badSignature`.
 */
import { createHmac, randomUUID } from "node:crypto";
import { prng } from "./seed-data.js";
import { chatJson, messageJson } from "./serialize.js";
import type { SandboxState, StoredChat, StoredMessage } from "./state.js";

export interface WebhookFaults {
  /** 0–1: share of events delivered twice. */
  duplicates?: number;
  /** Hold events in groups of this many and deliver each group shuffled (settle() releases a partial group). */
  outOfOrder?: number;
  /** Wait this long before each delivery. */
  delayMs?: number;
  /** Sign with the wrong key. */
  badSignature?: boolean;
}

export interface WebhookOptions {
  url: string;
  secret: string;
  faults?: WebhookFaults;
  /** Seed for the fault choices (default 7). */
  seed?: number;
}

export interface WebhookEnvelope {
  id: string;
  event: string;
  eventData: Record<string, unknown>;
  attempts: number;
  lastAttemptAt: number | string;
  createdAt: number | string;
}

export interface WebhookDelivery {
  envelope: WebhookEnvelope;
  /** HTTP status the receiver answered, 0 when it could not be reached. */
  status: number;
}

/** The envelope's timestamp in one of the two encodings seen: epoch ms, or seconds with milliseconds. */
const stamp = (ms: number, variant: number): number | string => (variant % 2 === 0 ? ms : (ms / 1000).toFixed(3));

export function chatEvent(state: SandboxState, chat: StoredChat, event: string): Pick<WebhookEnvelope, "event" | "eventData"> {
  const data = { ...chatJson(state, chat), communicatedAgents: [...chat.agentIds] };
  return { event, eventData: chat.id % 2 === 0 ? data : { chat: data } };
}

export function messageEvent(state: SandboxState, message: StoredMessage): Pick<WebhookEnvelope, "event" | "eventData"> {
  const { chat: _chat, ...json } = messageJson(state, message);
  const event =
    message.type === "private" ? "message.private" : message.from === "customer" ? "message.chat.customer" : "message.chat.agent";
  const chat = message.id % 2 === 0 ? { chat_id: message.chatId } : { chat: { id: message.chatId } };
  return { event, eventData: { ...json, ...chat } };
}

export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly random: () => number;
  private held: WebhookEnvelope[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly options: WebhookOptions,
    private readonly now: () => number,
  ) {
    this.random = prng(options.seed ?? 7);
  }

  get faults(): WebhookFaults {
    return this.options.faults ?? {};
  }

  set faults(faults: WebhookFaults) {
    this.options.faults = faults;
  }

  /** Queues one event for delivery (with the configured faults). */
  emit(event: Pick<WebhookEnvelope, "event" | "eventData">): WebhookEnvelope {
    const at = this.now();
    const variant = Math.floor(this.random() * 2);
    const envelope: WebhookEnvelope = {
      id: randomUUID(),
      ...event,
      attempts: 1,
      lastAttemptAt: stamp(at, variant),
      createdAt: stamp(at, variant),
    };
    const copies = this.random() < (this.faults.duplicates ?? 0) ? 2 : 1;
    for (let i = 0; i < copies; i++) this.held.push(envelope);
    if (this.held.length >= (this.faults.outOfOrder ?? 1)) this.release();
    return envelope;
  }

  /** Delivers everything held and waits until every delivery has been answered. */
  async settle(): Promise<void> {
    this.release();
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  close(): void {
    this.closed = true;
    this.held = [];
  }

  private release(): void {
    const group = this.held;
    this.held = [];
    if ((this.faults.outOfOrder ?? 1) > 1) {
      for (let i = group.length - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        [group[i], group[j]] = [group[j] as WebhookEnvelope, group[i] as WebhookEnvelope];
      }
    }
    // One after another, in the (possibly shuffled) order: that order is what the receiver sees.
    const previous = [...this.inFlight];
    const run = (async () => {
      await Promise.all(previous);
      for (const envelope of group) await this.deliver(envelope);
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private async deliver(envelope: WebhookEnvelope): Promise<void> {
    if (this.closed) return;
    if (this.faults.delayMs) await new Promise((resolve) => setTimeout(resolve, this.faults.delayMs));
    const body = JSON.stringify(envelope);
    const key = this.faults.badSignature ? `${this.options.secret}-wrong` : this.options.secret;
    const signature = createHmac("sha1", key).update(body).digest("hex");
    let status = 0;
    try {
      const response = await fetch(this.options.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-helpcrunch-signature": signature },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      status = response.status;
      await response.body?.cancel();
    } catch {
      status = 0;
    }
    this.deliveries.push({ envelope, status });
  }
}

type Emitted = Pick<WebhookEnvelope, "event" | "eventData">;

const idOf = (value: unknown): number | undefined => {
  const n = typeof value === "object" && value !== null ? Number((value as { id?: unknown }).id) : Number.NaN;
  return Number.isInteger(n) ? n : undefined;
};

/**
 * The events a successful API write causes, as HelpCrunch documents them: `chat.new`,
 * `status_updated` / `closed`, `assigned`, `snoozed` / `unsnoozed`, and the message events.
 */
export function eventsForWrite(state: SandboxState, method: string, path: string, body: unknown, answer: unknown): Emitted[] {
  if (method === "POST" && path === "/messages") {
    const messageId = idOf(answer);
    const chatId = Number((answer as { chat?: unknown }).chat);
    const message = state.messages.get(chatId)?.find((m) => m.id === messageId);
    return message ? [messageEvent(state, message)] : [];
  }
  const chat = state.chats.get((method === "POST" ? idOf(answer) : idOf(body)) ?? -1);
  if (!chat) return [];
  if (method === "POST" && path === "/chats") return [chatEvent(state, chat, "chat.new")];
  if (method !== "PUT") return [];
  switch (path) {
    case "/chats/status":
      return [chatEvent(state, chat, chat.status === "closed" ? "closed" : "status_updated")];
    case "/chats/assignee":
      return [chatEvent(state, chat, "assigned")];
    case "/chats/snooze":
      return [chatEvent(state, chat, chat.snoozedUntil === null ? "unsnoozed" : "snoozed")];
    default:
      return [];
  }
}
