/** list_departments: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, expect, it } from "vitest";
import { listDepartments } from "../../src/tools/list_departments.js";
import { callOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("list_departments", () => {
  const world = goldenWorld();

  it("every department", async () => {
    const answer = await callOk(world.h, listDepartments, {});
    expect(answer.structured.departments.length).toBe(world.h.sandbox.state.departments.size);
    await golden("list_departments", answer);
  });
});
