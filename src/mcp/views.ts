/**
 * MCP Apps (the io.modelcontextprotocol/ui extension): the three views as ui:// resources, and what
 * tools/list adds for a client that shows them. A client without the extension sees exactly the
 * tools and results it saw before: views are named only in tools' `_meta` (published to clients that
 * declared the extension) and in resources.
 *
 * The HTML is built by scripts/build.mjs from src/views/ (esbuild, one self-contained file each: no
 * CDN, no network, as the default MCP Apps CSP requires) and inlined in the bundle; under tsc and
 * vitest it is read from dist/views/, which the tests' global setup builds.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getUiCapability, RESOURCE_MIME_TYPE, registerAppResource } from "@modelcontextprotocol/ext-apps/server";
import type { ClientCapabilities, McpServer, Tool as McpTool } from "@modelcontextprotocol/server";
import type { Tool } from "../runtime/define-tool.js";
import { VIEW_URIS } from "../runtime/view-uris.js";
import { packageRoot } from "../version.js";

export const VIEWS = {
  reply: { uri: VIEW_URIS.reply, title: "Reply approval card", description: "Approve, edit or discard a customer-visible message" },
  queue: {
    uri: VIEW_URIS.queue,
    title: "Queue board",
    description: "The ranked open queue with SLA badges and row actions (triage_queue)",
  },
  stats: { uri: VIEW_URIS.stats, title: "Team numbers", description: "Chats created and closed per day, and per agent (chat_stats)" },
} as const;
export type ViewName = keyof typeof VIEWS;

declare const HELPCRUNCH_VIEWS: Record<ViewName, string> | undefined;
const prebuilt = typeof HELPCRUNCH_VIEWS === "object" ? HELPCRUNCH_VIEWS : undefined;

/** What a view is told about this server's configuration, in meta tags of its page. */
export interface ViewSettings {
  /** HELPCRUNCH_TIMEZONE: the queue board snoozes "until tomorrow 9:00" there. */
  timeZone?: string;
  /** HELPCRUNCH_DEFAULT_AGENT: the queue board's "me" in its assign menus. */
  defaultAgent?: string | number;
}

const attribute = (text: string) => text.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);

/** One view's HTML (inlined by the build, else dist/views/<name>.html) with the settings filled in. */
export function viewHtml(name: ViewName, settings: ViewSettings = {}): string {
  const html = prebuilt?.[name] ?? readFileSync(join(packageRoot(), "dist", "views", `${name}.html`), "utf8");
  const zone = attribute(settings.timeZone ?? "UTC");
  const me = attribute(settings.defaultAgent === undefined ? "" : String(settings.defaultAgent));
  return html.replace(
    '<meta name="helpcrunch-time-zone" content="UTC">',
    `<meta name="helpcrunch-time-zone" content="${zone}"><meta name="helpcrunch-default-agent" content="${me}">`,
  );
}

/** Does this client render MCP Apps views (the UI extension, with the HTML profile)? */
export function showsViews(capabilities: ClientCapabilities | undefined): boolean {
  const ui = getUiCapability(capabilities) as { mimeTypes?: unknown } | undefined;
  return Array.isArray(ui?.mimeTypes) && ui.mimeTypes.includes(RESOURCE_MIME_TYPE);
}

/**
 * tools/list for a client that shows views: the tools that have a view name it in `_meta.ui`, and
 * the app-only tools follow, marked so. Not the flat `_meta["ui/resourceUri"]` too, which the stable
 * spec (2026-01-26) deprecates: every tools/list of an MCP Apps client would carry each URI twice.
 */
export function withViews(listed: McpTool[], tools: readonly Tool[], appOnly: McpTool[], appTools: readonly Tool[]): McpTool[] {
  const uiOf = new Map([...tools, ...appTools].map((t) => [t.name, t.ui]));
  return [...listed, ...appOnly].map((entry) => {
    const ui = uiOf.get(entry.name);
    if (!ui) return entry;
    return { ...entry, _meta: { ui } };
  });
}

export function registerViews(server: McpServer, settings: ViewSettings): void {
  for (const [name, view] of Object.entries(VIEWS) as Array<[ViewName, (typeof VIEWS)[ViewName]]>) {
    registerAppResource(server, `${name}-view`, view.uri, { title: view.title, description: view.description }, async () => ({
      contents: [{ uri: view.uri, mimeType: RESOURCE_MIME_TYPE, text: viewHtml(name, settings), _meta: { ui: { prefersBorder: true } } }],
    }));
  }
}
