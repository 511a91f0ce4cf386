import { z } from "zod";
import { defineTool } from "../runtime/define-tool.js";

export const listDepartments = defineTool({
  name: "list_departments",
  title: "List departments",
  description: `List departments (teams) with their ids and members.
Use it before set_chat_department or to filter by team; other tools also take the department name.`,
  guide: { step: "lookup" },
  kind: "read",
  inputSchema: z.object({}),
  outputSchema: z.object({
    departments: z.array(
      z.object({
        id: z.number(),
        name: z.string().optional(),
        agents: z.array(z.object({ id: z.number(), name: z.string().optional() })),
      }),
    ),
  }),
  async handler(_args, ctx) {
    const departments = (await ctx.directory.departments(ctx.upstream)).map((d) => ({
      id: d.id,
      ...(d.name ? { name: d.name } : {}),
      agents: d.agents.map((a) => ({ id: a.id, ...(a.name ? { name: a.name } : {}) })),
    }));
    const lines = departments.map(
      (d) => `${d.id} ${d.name ?? "(no name)"} · ${d.agents.length ? d.agents.map((a) => a.name ?? `#${a.id}`).join(", ") : "no agents"}`,
    );
    return { text: [`${departments.length} departments:`, ...lines].join("\n"), structured: { departments } };
  },
});
