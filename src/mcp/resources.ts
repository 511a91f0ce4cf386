/**
 * MCP resources: the triage briefing (helpcrunch://queue) and any chat (helpcrunch://chats/{chat_id}),
 * rendered by the same tools a model would call, so there is one formatter for everything.
 */

import type { CallToolResult } from "@modelcontextprotocol/server";
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/server";
import type { ToolContext } from "../runtime/context.js";
import { VIEW_URIS } from "../runtime/view-uris.js";
import { registeredTool } from "../tools/index.js";

type ContextFor = (signal: AbortSignal) => ToolContext;

function textOf(result: CallToolResult): string {
  const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
  if (result.isError) throw new Error(text);
  return text;
}

/** Recent chats that may need a person, for resources/list and chat_id completion: one request. */
async function recentChatIds(ctx: ToolContext): Promise<Array<{ id: number; status: string }>> {
  const { chats } = await ctx.client.queryChats({ statuses: ["new", "opened"], limit: 20 }, ctx.upstream);
  return chats.map((c) => ({ id: c.id, status: c.status }));
}

export function registerResources(server: McpServer, contextFor: ContextFor): void {
  server.registerResource(
    "queue",
    "helpcrunch://queue",
    {
      title: "Open queue briefing",
      description: "The open HelpCrunch queue ranked by who needs a human first (triage_queue)",
      mimeType: "text/plain",
      // MCP Apps hosts may show it as the queue board.
      _meta: { ui: { resourceUri: VIEW_URIS.queue } },
    },
    async (uri, ctx) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: "text/plain",
          text: textOf(await registeredTool("triage_queue").run({ limit: 20, include_snoozed: false }, contextFor(ctx.mcpReq.signal))),
        },
      ],
    }),
  );

  server.registerResource(
    "chat",
    new ResourceTemplate("helpcrunch://chats/{chat_id}", {
      list: async (ctx) => ({
        resources: (await recentChatIds(contextFor(ctx.mcpReq.signal))).map((c) => ({
          uri: `helpcrunch://chats/${c.id}`,
          name: `chat ${c.id}`,
          title: `Chat #${c.id} (${c.status})`,
          mimeType: "text/plain",
        })),
      }),
      complete: {
        chat_id: async (value) => {
          const ids = await recentChatIds(contextFor(new AbortController().signal));
          return ids.map((c) => String(c.id)).filter((id) => id.startsWith(value));
        },
      },
    }),
    { title: "HelpCrunch chat", description: "One chat: summary and its 20 newest messages (get_chat)", mimeType: "text/plain" },
    async (uri, variables, ctx) => {
      const raw = String(variables.chat_id);
      const chatId = Number(raw);
      // Digits only and exactly representable: "99999999999999999999" would silently become 1e20.
      if (!/^[1-9]\d{0,15}$/.test(raw) || !Number.isSafeInteger(chatId))
        throw new Error(`Invalid chat id in ${uri.href}; use helpcrunch://chats/<number>.`);
      return {
        contents: [
          {
            uri: uri.href,
            mimeType: "text/plain",
            text: textOf(await registeredTool("get_chat").run({ chat_id: chatId, messages: 20 }, contextFor(ctx.mcpReq.signal))),
          },
        ],
      };
    },
  );
}
