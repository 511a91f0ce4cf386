/**
 * Push: when the live queue changes (a webhook or poll here, or on another replica through Redis),
 * clients subscribed to helpcrunch://queue or helpcrunch://chats/{id} get
 * `notifications/resources/updated`, at most one per resource per UPDATE_WINDOW_MS: the first
 * change is told at once, the rest of the window's changes in one notice at its end.
 *
 * Two protocol generations: a 2025 connection (stdio) sends resources/subscribe and keeps its
 * connection, so each server instance registers what it subscribed to; 2026-07-28 clients open
 * `subscriptions/listen`, served by the SDK's entries, which filter per subscription themselves:
 * over HTTP the handler gets every update through a sink (`handler.notify.resourceUpdated`), over
 * stdio serveStdio routes the instance's resources/updated onto the connection's listen streams
 * (and drops them while none is open). Stateless 2025 HTTP has no connection to push on: it
 * advertises no subscriptions.
 */
import { type McpServer, ProtocolError, ProtocolErrorCode } from "@modelcontextprotocol/server";
import type { ToolServices } from "../runtime/context.js";

export const QUEUE_URI = "helpcrunch://queue";
export const chatUri = (chatId: number) => `helpcrunch://chats/${chatId}`;
/** Per resource: a burst of changes to one chat is one notice, and a client is told within this long. */
export const UPDATE_WINDOW_MS = 2_000;
/**
 * `subscriptions/listen` streams one client may hold open (a stdio connection; over HTTP, one signed-in
 * person, or one address without OAuth). A client needs one or a few: the cap keeps one client from
 * taking the SDK's 1,024 streams shared by every client, and their memory.
 */
export const MAX_LISTENS_PER_CLIENT = 32;
/** resources/subscribe URIs one 2025 connection may hold: one per chat it watches, and the queue. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 1_000;
/** The in-band answer the SDK gives a listen past its total, with why and what to do. */
export const LISTEN_LIMIT_MESSAGE = `Subscription limit reached: this client already has ${MAX_LISTENS_PER_CLIENT} subscriptions/listen streams open; close one before opening another (one stream can carry every resource).`;

/** Resources waiting for the end of their window, at most (a flood of distinct chats drops the excess). */
const MAX_PENDING = 10_000;

type Sink = (uri: string) => void;

/** Leading-edge throttle per key: once at once, then at most once per window with the latest news. */
class Throttle {
  private readonly last = new Map<string, number>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly windowMs: number) {}

  fire(key: string, send: () => void): void {
    const now = Date.now();
    const since = now - (this.last.get(key) ?? Number.NEGATIVE_INFINITY);
    if (since >= this.windowMs) {
      this.last.set(key, now);
      if (this.last.size > MAX_PENDING) this.last.delete(this.last.keys().next().value as string);
      send();
      return;
    }
    if (this.pending.has(key) || this.pending.size >= MAX_PENDING) return;
    const timer = setTimeout(() => {
      this.pending.delete(key);
      this.last.set(key, Date.now());
      send();
    }, this.windowMs - since);
    timer.unref();
    this.pending.set(key, timer);
  }

  stop(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}

export class LiveUpdates {
  private readonly sinks = new Set<Sink>();
  private readonly throttle = new Throttle(UPDATE_WINDOW_MS);
  private readonly unsubscribe: () => void;

  constructor(services: ToolServices) {
    this.unsubscribe = services.liveQueue.onPublished((chatIds) => this.changed(chatIds));
  }

  /** Receives every update's URI; returns the way to stop. */
  addSink(sink: Sink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  get listening(): number {
    return this.sinks.size;
  }

  private changed(chatIds: number[]): void {
    for (const uri of [QUEUE_URI, ...chatIds.map(chatUri)])
      this.throttle.fire(uri, () => {
        for (const sink of this.sinks) sink(uri);
      });
  }

  close(): void {
    this.unsubscribe();
    this.throttle.stop();
    this.sinks.clear();
  }
}

/** One fan-out per process (per services), made on first use. */
const fanouts = new WeakMap<ToolServices, LiveUpdates>();
export function liveUpdates(services: ToolServices): LiveUpdates {
  let fanout = fanouts.get(services);
  if (!fanout) {
    fanout = new LiveUpdates(services);
    fanouts.set(services, fanout);
  }
  return fanout;
}

/**
 * resources/subscribe and resources/unsubscribe for a 2025 connection that stays open (stdio, or
 * in memory): the server pushes resources/updated for what it subscribed to, until it closes.
 * `onFirstSubscription` lets the program start polling when nothing else keeps the queue fresh.
 */
export function serveResourceSubscriptions(server: McpServer, services: ToolServices, onFirstSubscription?: () => void): void {
  const subscribed = new Set<string>();
  let stop: (() => void) | undefined;
  server.server.registerCapabilities({ resources: { subscribe: true } });
  server.server.setRequestHandler("resources/subscribe", async (request) => {
    const { uri } = request.params;
    if (uri !== QUEUE_URI && !/^helpcrunch:\/\/chats\/[1-9]\d{0,15}$/.test(uri))
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Cannot subscribe to ${uri.slice(0, 100)}; subscribe to ${QUEUE_URI} or helpcrunch://chats/<id>.`,
      );
    if (!subscribed.has(uri) && subscribed.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION)
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        `Subscription limit reached: this connection already holds ${MAX_SUBSCRIPTIONS_PER_CONNECTION} resource subscriptions; unsubscribe from one first, or subscribe to ${QUEUE_URI}, which is told of every chat.`,
      );
    subscribed.add(uri);
    stop ??= liveUpdates(services).addSink((changed) => {
      if (subscribed.has(changed)) void server.server.sendResourceUpdated({ uri: changed }).catch(() => undefined);
    });
    onFirstSubscription?.();
    return {};
  });
  server.server.setRequestHandler("resources/unsubscribe", async (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
  untilClosed(server, () => stop?.());
}

/**
 * A 2026-07-28 connection over stdio: every update leaves as resources/updated, and serveStdio's
 * entry delivers each to the `subscriptions/listen` streams whose filter names it.
 */
export function serveListenUpdates(server: McpServer, services: ToolServices): void {
  server.server.registerCapabilities({ resources: { subscribe: true } });
  const stop = liveUpdates(services).addSink((uri) => void server.server.sendResourceUpdated({ uri }).catch(() => undefined));
  untilClosed(server, stop);
}

function untilClosed(server: McpServer, stop: () => void): void {
  const previous = server.server.onclose;
  server.server.onclose = () => {
    stop();
    previous?.();
  };
}
