/** list_agents: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, expect, it } from "vitest";
import { listAgents } from "../../src/tools/list_agents.js";
import { callOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("list_agents", () => {
  const world = goldenWorld();

  it("every agent of the team", async () => {
    const answer = await callOk(world.h, listAgents, {});
    expect(answer.structured.agents.length).toBe(world.h.sandbox.state.agents.size);
    await golden("list_agents", answer);
  });
});
