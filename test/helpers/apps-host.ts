/**
 * The MCP Apps test host: the built server over stdio behind an MCP client that declares the UI
 * extension, a local page embedding a view in an iframe with ext-apps' AppBridge (test/apps/host/),
 * and Debian's chromium driven by playwright-core. The view's tool calls travel view → AppBridge →
 * `hostCallTool` → the MCP client → the server → the sandbox, whose request log says what was sent.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult, Client, ClientCapabilities } from "@modelcontextprotocol/client";
import { build } from "esbuild";
import { type BrowserContext, chromium, type FrameLocator, type Page } from "playwright-core";
import { inject } from "vitest";
import { packageRoot } from "../../src/version.js";
import { CHROMIUM_PATH } from "../prerequisites.js";
import { connectStdio } from "./spawn.js";

/** What a client that shows MCP Apps views declares. */
export const APPS: ClientCapabilities = { extensions: { "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } } };
/** The result `_meta` key that carries the card's token and draft. */
export const APPROVAL_META_KEY = "helpcrunch-mcp/approval";

/** The one-time approval token a drafted reply carries in its result's _meta (for the card, never the model). */
export const approvalTokenOf = (r: { _meta?: Record<string, unknown> }) => (r._meta?.[APPROVAL_META_KEY] as { token: string }).token;

/** Why chromium cannot run here (the browser tests skip), or undefined. */
export const chromiumMissing = inject("prerequisites").chromium;

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface ViewOptions {
  theme?: "light" | "dark";
  width?: number;
  toolInput: Record<string, unknown>;
  toolResult: CallToolResult;
}

export interface AppsHost {
  client: Client;
  /** Calls a tool as the model would, through the same client. */
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  /** Opens a view in a fresh page of the host; `frame` is the view inside it. */
  open(view: "reply" | "queue" | "stats", options: ViewOptions): Promise<{ page: Page; frame: FrameLocator }>;
  close(): Promise<void>;
}

async function hostScript(): Promise<string> {
  const out = await build({
    entryPoints: [join(packageRoot(), "test/apps/host/host-page.ts")],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "warning",
  });
  return out.outputFiles[0]?.text ?? "";
}

export async function startAppsHost(env: Record<string, string>): Promise<AppsHost> {
  const { client } = await connectStdio({ HELPCRUNCH_LOG_LEVEL: "error", ...env }, [], { capabilities: APPS });
  const script = await hostScript();
  const http: Server = createServer(async (request, response) => {
    const view = /^\/view\/(reply|queue|stats)\.html$/.exec(request.url ?? "")?.[1];
    if (view) {
      // The view exactly as the server serves it (resources/read), as a host loads it.
      const read = await client.readResource({ uri: `ui://helpcrunch/${view}` });
      const html = read.contents[0] && "text" in read.contents[0] ? read.contents[0].text : "";
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    } else if (request.url === "/host.js") response.writeHead(200, { "content-type": "text/javascript" }).end(script);
    else
      response
        .writeHead(200, { "content-type": "text/html" })
        .end('<!DOCTYPE html><html><body style="margin:0;padding:8px"><script src="/host.js"></script></body></html>');
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  const profile = mkdtempSync(join(tmpdir(), "helpcrunch-chromium-"));
  const browser: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 800, height: 900 },
  });
  const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
  return {
    client,
    call,
    async open(view, options) {
      const page = await browser.newPage();
      await page.exposeFunction("hostCallTool", (params: { name: string; arguments?: Record<string, unknown> }) =>
        call(params.name, params.arguments ?? {}),
      );
      await page.goto(`${base}/`);
      const setup = {
        viewUrl: `${base}/view/${view}.html`,
        theme: options.theme ?? "light",
        width: options.width ?? 720,
        toolInput: options.toolInput,
        toolResult: options.toolResult,
      };
      await page.evaluate(`window.startView(${JSON.stringify(setup)})`);
      return { page, frame: page.frameLocator("iframe") };
    },
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
      await new Promise((resolve) => http.close(resolve));
      await client.close();
    },
  };
}
