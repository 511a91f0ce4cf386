/**
 * The sandbox HTTP server: auth, rate limit, fault injection, request log, then the routes.
 * Loopback only. Answers the way HelpCrunch does, errors included.
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { Socket } from "node:net";
import { FaultBook, RollingLimit, codeForStatus } from "./faults.js";
import { InvalidValue, NotFound, ROUTES, type Reply } from "./routes.js";
import { ValidationError } from "./search.js";
import { seedState } from "./seed-data.js";
import type { Fault, RecordedRequest, SandboxHandle, SandboxOptions } from "./types.js";

export const DEFAULT_API_KEY = "sandbox-demo-key";

const errors = (...entries: Array<{ code: string; message: string }>) => ({ errors: entries });

function route(method: string, path: string, input: Omit<Parameters<(typeof ROUTES)[number][2]>[0], "params">): Reply {
  for (const [m, pattern, handler] of ROUTES) {
    const match = m === method ? pattern.exec(path) : null;
    if (!match) continue;
    try {
      return handler({ ...input, params: match.slice(1) });
    } catch (error) {
      if (error instanceof ValidationError) return [400, errors({ code: "invalid_request", message: "Invalid request" }, ...error.errors)];
      if (error instanceof NotFound) return [404, errors({ code: error.code, message: error.message })];
      if (error instanceof InvalidValue) return [400, errors({ code: "invalid_chat_value", message: error.message })];
      throw error;
    }
  }
  return [404, errors({ code: "not_found", message: "Not found" })];
}

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

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const now = options.now ?? Date.now;
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const state = seedState({ seed: options.seed ?? 42, chatCount: options.chatCount ?? 320, now: now() });
  const requests: RecordedRequest[] = [];
  const faults = new FaultBook();
  for (const rule of options.faults ?? []) faults.add(rule);
  const limit = new RollingLimit(options.rateLimitPerMinute, options.rateLimitWindowMs ?? 60_000);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const method = req.method ?? "GET";
    const path = url.pathname.replace(/^\/v1/, "") || "/";
    const body = await readBody(req);
    const record: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : v])),
      status: 0,
      at: now(),
    };
    requests.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
    };

    if (!url.pathname.startsWith("/v1/")) return send(404, errors({ code: "not_found", message: "Not found" }));
    if (req.headers.authorization !== `Bearer ${apiKey}`) return send(401, errors({ code: "invalid_token", message: "Invalid token" }));
    if (limit.exceeded(apiKey, now())) return send(429, errors({ code: "too_many_requests", message: "You have exceeded your requests limit" }));

    const fault: Fault | undefined = faults.take(method, path);
    if (fault?.type === "reset") return req.socket.destroy();
    if (fault?.type === "status") {
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { "retry-after": String(fault.retryAfter) } : {};
      return send(fault.status, fault.body ?? errors({ code: codeForStatus(fault.status), message: `Injected ${fault.status}` }), headers);
    }
    if (fault?.type === "html") {
      record.status = fault.status;
      res.writeHead(fault.status, { "content-type": "text/html" });
      return res.end(`<html><head><title>${fault.status} Bad Gateway</title></head><body><h1>${fault.status}</h1><p>nginx</p></body></html>`);
    }
    if (fault?.type === "delay") await delay(fault.ms);

    const [status, payload] = route(method, path, { state, now: now(), query: record.query, body });
    if (fault?.type === "lose-response") return req.socket.destroy();
    if (fault?.type === "malformed-json") return send(fault.status ?? 200, JSON.stringify(payload).slice(0, 40));
    return send(status, payload);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify(errors({ code: "server_error", message: error instanceof Error ? error.message : "error" })));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    state,
    requests,
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    clearRequests: () => {
      requests.length = 0;
    },
    setRateLimit: (perMinute) => {
      limit.perWindow = perMinute;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
