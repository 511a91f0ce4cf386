/**
 * The view side of MCP Apps (SEP-1865, 2026-01-26): JSON-RPC over postMessage with the host. Written
 * out instead of ext-apps' `App`, which brings the MCP client's Protocol and zod along (~400 KB
 * minified, four times what a whole view may weigh); the message shapes are ext-apps' own types,
 * and the tests drive these views with ext-apps' host-side AppBridge.
 */
import type {
  McpUiHostContext,
  McpUiInitializeRequest,
  McpUiInitializeResult,
  McpUiSizeChangedNotification,
  McpUiToolInputNotification,
  McpUiToolResultNotification,
} from "@modelcontextprotocol/ext-apps";

const PROTOCOL_VERSION = "2026-01-26";

/** What a view reads from a tools/call result; everything in it came from the server through the host, so is checked before use. */
export interface ToolResult {
  content?: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

export class ViewBridge {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  ontoolresult?: (result: ToolResult) => void;
  ontoolinput?: (args: Record<string, unknown>) => void;

  constructor(private readonly name: string) {
    window.addEventListener("message", (event) => {
      // Only the host that embeds this view speaks to it.
      if (event.source !== window.parent) return;
      this.receive(event.data);
    });
  }

  /** The handshake; then the host sends the tool's input and result. */
  async connect(): Promise<void> {
    const params: McpUiInitializeRequest["params"] = {
      appInfo: { name: this.name, version: "1.0.0" },
      appCapabilities: {},
      protocolVersion: PROTOCOL_VERSION,
    };
    const result = (await this.request("ui/initialize", params)) as McpUiInitializeResult;
    applyHostContext(result.hostContext);
    this.notify("ui/notifications/initialized", {});
    this.reportSize();
  }

  /** tools/call through the host (which forwards it to this view's server). */
  async callTool(name: string, args: Record<string, unknown>): Promise<ToolResult> {
    return (await this.request("tools/call", { name, arguments: args })) as ToolResult;
  }

  /** Tells the host the content's height whenever it changes, so the frame fits it. */
  private reportSize(): void {
    let last = "";
    const send = () => {
      const size: McpUiSizeChangedNotification["params"] = {
        width: Math.ceil(document.documentElement.scrollWidth),
        height: Math.ceil(document.documentElement.scrollHeight),
      };
      const key = `${size.width}x${size.height}`;
      if (key === last) return;
      last = key;
      this.notify("ui/notifications/size-changed", size);
    };
    new ResizeObserver(send).observe(document.body);
    send();
  }

  private request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    window.parent.postMessage({ jsonrpc: "2.0", id, method, params }, "*");
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  private notify(method: string, params: unknown): void {
    window.parent.postMessage({ jsonrpc: "2.0", method, params }, "*");
  }

  private receive(message: unknown): void {
    if (typeof message !== "object" || message === null) return;
    const m = message as { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: { message?: unknown } };
    if (typeof m.id === "number" && m.method === undefined) {
      const waiting = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error) waiting?.reject(new Error(typeof m.error.message === "string" ? m.error.message : "The host refused the request."));
      else waiting?.resolve(m.result);
      return;
    }
    if (m.method === "ui/notifications/tool-result") this.ontoolresult?.(m.params as McpUiToolResultNotification["params"] as ToolResult);
    else if (m.method === "ui/notifications/tool-input")
      this.ontoolinput?.(((m.params as McpUiToolInputNotification["params"]).arguments ?? {}) as Record<string, unknown>);
    else if (m.method === "ui/notifications/host-context-changed") applyHostContext(m.params as McpUiHostContext);
    else if (typeof m.id === "number" && typeof m.method === "string") {
      // A request from the host (ping, ui/resource-teardown): an empty result says "done".
      window.parent.postMessage({ jsonrpc: "2.0", id: m.id, result: {} }, "*");
    }
  }
}

/** The host's theme and CSS variables (light and dark); the view's CSS falls back to its own values. */
function applyHostContext(context: McpUiHostContext | undefined): void {
  if (!context) return;
  const root = document.documentElement;
  if (context.theme === "light" || context.theme === "dark") {
    root.dataset.theme = context.theme;
    root.style.colorScheme = context.theme;
  }
  for (const [name, value] of Object.entries(context.styles?.variables ?? {}))
    if (typeof value === "string" && name.startsWith("--")) root.style.setProperty(name, value);
}

/** The text of a result, for showing what changed or the error sentence. */
export function resultText(result: ToolResult): string {
  return (result.content ?? [])
    .map((c) => (c.type === "text" && typeof c.text === "string" ? c.text : ""))
    .join("\n")
    .trim();
}
