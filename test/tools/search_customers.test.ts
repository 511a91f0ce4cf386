/** search_customers: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, expect, it } from "vitest";
import { searchCustomers } from "../../src/tools/search_customers.js";
import { callOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("search_customers", () => {
  const world = goldenWorld();

  it("customers matching part of an email", async () => {
    const answer = await callOk(world.h, searchCustomers, { query: "outlook.com", limit: 5 });
    expect(answer.structured.customers.length).toBeGreaterThan(0);
    for (const c of answer.structured.customers) expect(c.email).toContain("outlook.com");
    await golden("search_customers", answer);
  });
});
