/**
 * A live-queue rig: a sandbox that posts signed webhooks to a real --http server (the receiver at
 * POST /webhooks/helpcrunch), and an SDK client connected in memory to an MCP server over the same
 * services, so a test can watch webhooks reach a model-facing answer or a subscription.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { type Config, clientOptions } from "../../src/config.js";
import { createClient } from "../../src/helpcrunch/index.js";
import { createLogger } from "../../src/log.js";
import { type HttpHandle, startHttpServer } from "../../src/mcp/http-server.js";
import { createMcpServer, createServices } from "../../src/mcp/mcp-server.js";
import type { ToolServices } from "../../src/runtime/context.js";
import type { SandboxHandle, SandboxOptions, WebhookFaults } from "../../src/sandbox/index.js";
import { startSandbox } from "../../src/sandbox/index.js";
import type { MirrorStore } from "../../src/services/live-queue.js";
import { testConfig } from "./harness.js";
import { freePort } from "./spawn.js";

export const WEBHOOK_SECRET = "test-webhook-signing-key";

export interface LiveRig {
  sandbox: SandboxHandle;
  services: ToolServices;
  http: HttpHandle;
  /** http://127.0.0.1:PORT/webhooks/helpcrunch */
  webhookUrl: string;
  mcp: Client;
  logs: string[];
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Waits for the sandbox's deliveries to be answered and the mirror to apply them. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface LiveRigOptions {
  sandbox?: SandboxOptions;
  faults?: WebhookFaults;
  config?: Partial<Config>;
  /** A shared store (Redis) instead of this process's memory. */
  mirror?: MirrorStore;
  /** Another rig's sandbox: this rig is then a second replica of the same account (its sandbox is not stopped). */
  sameAccountAs?: SandboxHandle;
  now?: () => number;
  /** Connect no MCP client. */
  noClient?: boolean;
}

export async function startLiveRig(options: LiveRigOptions = {}): Promise<LiveRig> {
  const port = await freePort();
  const webhookUrl = `http://127.0.0.1:${port}/webhooks/helpcrunch`;
  const sandbox =
    options.sameAccountAs ??
    (await startSandbox({ ...options.sandbox, webhooks: { url: webhookUrl, secret: WEBHOOK_SECRET, faults: options.faults } }));
  const config = testConfig({ baseUrl: sandbox.url, apiKey: sandbox.apiKey, webhookSecret: WEBHOOK_SECRET, ...options.config });
  const logs: string[] = [];
  const log = createLogger("debug", [config.apiKey], (line) => logs.push(line));
  const api = createClient({ ...clientOptions(config, log), retryBaseDelayMs: 5 });
  const services = createServices({ client: api, config, log, now: options.now, mirror: options.mirror });
  const http = await startHttpServer(services, {
    port,
    host: "127.0.0.1",
    allowedHosts: [`127.0.0.1:${port}`],
    allowedOrigins: [],
  });
  const server = createMcpServer(services);
  const mcp = new Client({ name: "live-test", version: "1.0.0" });
  if (!options.noClient) {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(serverSide), mcp.connect(clientSide)]);
  }
  return {
    sandbox,
    services,
    http,
    webhookUrl,
    mcp,
    logs,
    call: async (name, args = {}) => (await mcp.callTool({ name, arguments: args })) as CallToolResult,
    settle: async () => {
      await sandbox.webhooks.settle();
      await services.liveQueue.settled();
    },
    close: async () => {
      services.liveQueue.stop();
      if (!options.noClient) await mcp.close();
      await server.close();
      await http.close();
      await api.close();
      if (!options.sameAccountAs) await sandbox.stop();
    },
  };
}
