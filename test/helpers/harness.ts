/**
 * Test harness: a sandbox over real HTTP, the real client, the real MCP server, and an SDK Client
 * connected in memory. Stdio tests spawn the built server instead (see spawn.ts).
 */

import type { CallToolResult } from "@modelcontextprotocol/client";
import { type AuthInfo, Client, type ClientCapabilities, InMemoryTransport } from "@modelcontextprotocol/client";
import { type Config, clientOptions } from "../../src/config.js";
import { type ClientOptions, createClient, type HelpCrunchClient } from "../../src/helpcrunch/index.js";
import { createLogger, type Logger } from "../../src/log.js";
import { createMcpServer, createServices } from "../../src/mcp/mcp-server.js";
import type { Actor } from "../../src/runtime/actor.js";
import { type SandboxHandle, type SandboxOptions, startSandbox } from "../../src/sandbox/index.js";
import type { KnowledgeBase } from "../../src/services/knowledge/index.js";

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    apiKey: "unused",
    baseUrl: "http://127.0.0.1:1/v1",
    readOnly: false,
    timeoutMs: 2_000,
    callTimeoutMs: 45_000,
    maxRetries: 2,
    rateLimitPerMinute: 10_000,
    rateLimitWindowMs: 60_000,
    readBudget: 5_000,
    customerMessages: "off",
    confirmBulk: 0,
    agentFromToken: false,
    statusFilter: "name",
    logLevel: "silent",
    demo: false,
    ...overrides,
  };
}

export interface Harness {
  sandbox: SandboxHandle;
  mcp: Client;
  api: HelpCrunchClient;
  logs: string[];
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** The text of a result's first content block. */
  text(result: CallToolResult): string;
  /** Requests the sandbox saw that change state (everything but GETs and searches). */
  writes(): SandboxHandle["requests"];
  /**
   * Another MCP client of the same server process (the same drafts, reply guard and audit), declaring
   * `capabilities`: as a second request over stateless --http from a client that declares other things.
   */
  connect(capabilities?: ClientCapabilities): Promise<Client>;
  /** Later requests of `mcp` carry this person's verified sign-in, as OAuth over --http gives them; undefined: none. */
  signIn(actor: Actor | undefined): void;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    config?: Partial<Config>;
    sandbox?: SandboxOptions;
    client?: Partial<ClientOptions>;
    now?: () => number;
    /** What the MCP client declares (e.g. the MCP Apps extension); none by default. */
    capabilities?: ClientCapabilities;
    /** The help center and saved replies behind search_knowledge (not offered without). */
    knowledge?: KnowledgeBase;
  } = {},
): Promise<Harness> {
  const sandbox = await startSandbox(options.sandbox);
  const config = testConfig({ baseUrl: sandbox.url, apiKey: sandbox.apiKey, ...options.config });
  const logs: string[] = [];
  const log: Logger = createLogger("debug", [config.apiKey], (line) => logs.push(line));
  const api = createClient({ ...clientOptions(config, log), retryBaseDelayMs: 5, ...options.client });
  const services = createServices({ client: api, config, log, now: options.now, knowledge: options.knowledge });
  const servers: Array<{ close(): Promise<void> }> = [];
  let authInfo: AuthInfo | undefined;
  const connect = async (capabilities: ClientCapabilities = {}, signedIn = false) => {
    const server = createMcpServer(services);
    servers.push(server);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    if (signedIn) {
      const send = clientSide.send.bind(clientSide);
      clientSide.send = (message, sendOptions) => send(message, { ...sendOptions, ...(authInfo ? { authInfo } : {}) });
    }
    const client = new Client({ name: "test", version: "1.0.0" }, { capabilities });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
    return client;
  };
  const mcp = await connect(options.capabilities, true);
  const others: Client[] = [];
  return {
    sandbox,
    mcp,
    api,
    logs,
    call: async (name, args = {}) => (await mcp.callTool({ name, arguments: args })) as CallToolResult,
    text: (result) => {
      const first = result.content[0];
      return first?.type === "text" ? first.text : "";
    },
    writes: () => sandbox.requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/search")),
    connect: async (capabilities) => {
      const client = await connect(capabilities);
      others.push(client);
      return client;
    },
    signIn: (actor) => {
      authInfo = actor ? { token: `test-${actor.subject}`, clientId: "test", scopes: actor.scopes, extra: { actor } } : undefined;
    },
    close: async () => {
      for (const client of [mcp, ...others]) await client.close();
      for (const server of servers) await server.close();
      await api.close();
      await sandbox.stop();
    },
  };
}
