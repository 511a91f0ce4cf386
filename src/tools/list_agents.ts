import { z } from "zod";
import { defineTool } from "../runtime/define-tool.js";

export const listAgents = defineTool({
  name: "list_agents",
  title: "List agents",
  description: `List agents with id, name, email and role (HelpCrunch spells supervisor "superviser").
Other tools take an agent's name or email; use this to see who is on the team, e.g. before assign_chat.`,
  guide: { step: "lookup" },
  kind: "read",
  inputSchema: z.object({}),
  outputSchema: z.object({
    agents: z.array(z.object({ id: z.number(), name: z.string().optional(), email: z.string().optional(), role: z.string().optional() })),
  }),
  async handler(_args, ctx) {
    const agents = (await ctx.directory.agents(ctx.upstream)).map((a) => ({
      id: a.id,
      ...(a.name ? { name: a.name } : {}),
      ...(a.email ? { email: a.email } : {}),
      ...(a.role ? { role: a.role } : {}),
    }));
    const lines = agents.map((a) => `${a.id} ${a.name ?? "(no name)"}${a.email ? ` <${a.email}>` : ""}${a.role ? ` · ${a.role}` : ""}`);
    return { text: [`${agents.length} agents:`, ...lines].join("\n"), structured: { agents } };
  },
});
