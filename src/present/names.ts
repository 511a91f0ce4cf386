/**
 * Agents and departments named once per answer: chat summaries and messages refer to them by id,
 * and the answer's `names` says who each id is (a list of 100 chats would otherwise repeat the same
 * five names 100 times).
 */
import { z } from "zod";

export const namesSchema = z
  .object({
    agents: z.record(z.string(), z.string()).optional().describe("agent id → name"),
    departments: z.record(z.string(), z.string()).optional().describe("department id → name"),
  })
  .describe("Names for the agent and department ids in this answer");
export type Names = z.infer<typeof namesSchema>;

type Ref = { id: number; name?: string | null } | null | undefined;

/** Collects the names of the ids an answer uses. */
export class NameBook {
  private readonly agents: Record<string, string> = {};
  private readonly departments: Record<string, string> = {};

  /** The agent's id, its name noted. */
  agent(ref: Ref): number | undefined {
    if (ref?.name) this.agents[ref.id] = ref.name;
    return ref?.id;
  }

  department(ref: Ref): number | undefined {
    if (ref?.name) this.departments[ref.id] = ref.name;
    return ref?.id;
  }

  /** undefined when no id needed a name. */
  names(): Names | undefined {
    const has = (record: Record<string, string>) => Object.keys(record).length > 0;
    if (!has(this.agents) && !has(this.departments)) return undefined;
    return { ...(has(this.agents) ? { agents: this.agents } : {}), ...(has(this.departments) ? { departments: this.departments } : {}) };
  }
}
