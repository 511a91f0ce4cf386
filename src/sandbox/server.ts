/**
 * The sandbox HTTP server on 127.0.0.1. Every request goes through the same pipeline:
 *   record it → /v1 prefix (404) → Bearer key (401) → rate limit (429) → injected fault → route.
 * Faults therefore only see authenticated, admitted requests, and every request — refused,
 * faulted or answered — is in the log with the status it got (0 when no answer was sent).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { errorBody } from "./api-error.js";
import { resolveDialect } from "./dialect.js";
import { FaultBook, htmlPage, injectedErrorBody, truncatedJson } from "./faults.js";
import { RollingLimit } from "./rate-limit.js";
import { dispatch } from "./routes/index.js";
import type { Reply } from "./routes/route.js";
import { seedState } from "./seed-data.js";
import { seedOpenQueue } from "./seed-queue.js";
import { addMessage, OPEN_STATUSES, type SandboxState } from "./state.js";
import type { RecordedRequest, SandboxHandle, SandboxOptions } from "./types.js";
import { chatEvent, eventsForWrite, messageEvent, WebhookSender } from "./webhooks.js";

export const DEFAULT_API_KEY = "sandbox-demo-key";
const DEFAULT_SEED = 42;
const DEFAULT_CHAT_COUNT = 320;

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const flatHeaders = (req: IncomingMessage) =>
  Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : v]));

/** Timers of delay faults, so stop() can end them instead of waiting them out. */
class Pauses {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.set(timer, resolve);
    });
  }

  endAll(): void {
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve();
    }
    this.pending.clear();
  }
}

/** The route's answer; a bug in a handler becomes a 500 in HelpCrunch's error shape, not a hang. */
function answer(...args: Parameters<typeof dispatch>): Reply {
  try {
    return dispatch(...args);
  } catch (error) {
    return [500, errorBody({ code: "server_error", message: error instanceof Error ? error.message : "Internal error" })];
  }
}

/** The seeded data: `chatCount` chats, or a large queue of `openChats` open chats. */
function seed(options: SandboxOptions, now: number): SandboxState {
  const seed = options.seed ?? DEFAULT_SEED;
  if (options.openChats === undefined) {
    const chatCount = Math.max(0, Math.floor(options.chatCount ?? DEFAULT_CHAT_COUNT));
    return seedState({ seed, chatCount, now });
  }
  if (options.chatCount !== undefined) throw new Error("sandbox: give chatCount or openChats, not both");
  return seedOpenQueue({ seed, openChats: Math.max(0, Math.floor(options.openChats)), now });
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const now = options.now ?? Date.now;
  const dialect = resolveDialect(options.dialect);
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const state = seed(options, now());
  const requests: RecordedRequest[] = [];
  const faults = new FaultBook();
  for (const rule of options.faults ?? []) faults.add(rule);
  const limit = new RollingLimit(options.rateLimitPerMinute, options.rateLimitWindowMs ?? 60_000);
  const pauses = new Pauses();
  const sockets = new Set<Socket>();
  let stopped = false;
  const webhooks = options.webhooks ? new WebhookSender({ ...options.webhooks }, now) : undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const at = now();
    const url = new URL(req.url ?? "/", "http://sandbox");
    const method = req.method ?? "GET";
    const path = url.pathname.replace(/^\/v1(?=\/|$)/, "") || "/";
    const record: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: await readBody(req),
      headers: flatHeaders(req),
      status: 0,
      at,
    };
    requests.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
    };
    const hangUp = () => req.socket.destroy();

    if (!/^\/v1(\/|$)/.test(url.pathname)) return send(404, errorBody({ code: "not_found", message: "Not found" }));
    if (req.headers.authorization !== `Bearer ${apiKey}`) return send(401, errorBody({ code: "invalid_token", message: "Invalid token" }));
    if (!limit.admit(apiKey, at))
      return send(429, errorBody({ code: "too_many_requests", message: "You have exceeded your requests limit" }));

    const fault = faults.take(method, path);
    switch (fault?.type) {
      case "reset":
        return hangUp();
      case "status":
        return send(
          fault.status,
          fault.body ?? injectedErrorBody(fault.status),
          fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) },
        );
      case "html":
        record.status = fault.status;
        res.writeHead(fault.status, { "content-type": "text/html" });
        return res.end(htmlPage(fault.status));
      case "delay":
        await pauses.wait(fault.ms);
        if (stopped) return hangUp();
        break;
    }

    const [status, payload] = answer(method, path, { state, dialect, now: now(), query: record.query, body: record.body });
    if (webhooks && method !== "GET" && status < 300)
      for (const event of eventsForWrite(state, method, path, record.body, payload)) webhooks.emit(event);
    if (fault?.type === "lose-response") return hangUp();
    if (fault?.type === "malformed-json") return send(fault.status ?? 200, truncatedJson(JSON.stringify(payload)));
    return send(status, payload);
  };

  const server = createServer((req, res) => {
    // Only reading the request can fail here (a client that hangs up mid-body): nobody to answer.
    handle(req, res).catch(() => res.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    dialect,
    state,
    openChats: () => [...state.chats.values()].filter((chat) => OPEN_STATUSES.includes(chat.status)),
    requests,
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    clearRequests: () => {
      requests.length = 0;
    },
    setRateLimit: (perMinute) => {
      limit.perWindow = perMinute;
    },
    customerWrites: (chatId, text) => {
      const chat = state.chats.get(chatId);
      if (!chat) throw new Error(`No chat ${chatId} in the sandbox`);
      const message = addMessage(state, chat, { from: "customer", text, type: "message", agentId: null, createdAt: now(), read: false });
      webhooks?.emit(messageEvent(state, message));
    },
    announce: (chatId, event) => {
      const chat = state.chats.get(chatId);
      if (!chat) throw new Error(`No chat ${chatId} in the sandbox`);
      webhooks?.emit(chatEvent(state, chat, event));
    },
    webhooks: {
      deliveries: webhooks?.deliveries ?? [],
      settle: () => webhooks?.settle() ?? Promise.resolve(),
      setFaults: (faults) => {
        if (webhooks) webhooks.faults = faults;
      },
    },
    stop: () =>
      new Promise<void>((resolve) => {
        stopped = true;
        webhooks?.close();
        pauses.endAll();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
