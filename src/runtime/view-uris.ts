/** The MCP Apps views (ui:// resources, served by src/mcp/views.ts) that render tools' results. */
export const VIEW_URIS = {
  reply: "ui://helpcrunch/reply",
  queue: "ui://helpcrunch/queue",
  stats: "ui://helpcrunch/stats",
} as const;
