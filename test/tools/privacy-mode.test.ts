/**
 * HELPCRUNCH_REDACT=all over the whole seeded sandbox: no seeded customer email, phone number or
 * name appears in any output of any read tool, and a follow-up call by the id shown still works.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCustomer } from "../../src/tools/get_customer.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { parsed } from "../helpers/typed-call.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ sandbox: { seed: 11 }, config: { redact: "all" } });
});
afterAll(() => h.close());

describe("privacy mode all", () => {
  it("no customer email, phone or name leaves the server, and ids still work", async () => {
    const outputs: string[] = [];
    const call = async (name: string, args: Record<string, unknown>) => {
      const result = await h.call(name, args);
      outputs.push(h.text(result), JSON.stringify(result.structuredContent ?? {}));
      return result;
    };
    await call("triage_queue", { limit: 100, include_snoozed: true });
    for (let offset = 0; offset < 400; offset += 100) await call("search_chats", { limit: 100, offset });
    const chatIds = [...h.sandbox.state.chats.keys()].slice(0, 40);
    for (const id of chatIds) await call("get_chat", { chat_id: id, messages: 20 });
    await call("list_chat_messages", { chat_id: chatIds[0] });
    await call("chat_stats", { group_by: "agent" });
    const customers = [...h.sandbox.state.customers.values()];
    for (const q of ["a", "e", "o", "@"]) await call("search_customers", { query: q, limit: 100 });
    for (const c of customers.slice(0, 30)) await call("get_customer", { customer: c.id });
    // An email as input still finds the customer; the answer shows its pseudonym.
    const withEmail = customers.find((c) => c.email) as (typeof customers)[number];
    const byEmail = parsed(getCustomer, await call("get_customer", { customer: withEmail.email as string }));
    expect(byEmail.customer.id).toBe(withEmail.id);

    const everything = outputs.join("\n");
    const agentNames = new Set([...h.sandbox.state.agents.values()].map((a) => a.name));
    const secrets = customers
      .flatMap((c) => [c.email, c.phone, c.name && !agentNames.has(c.name) ? c.name : null])
      .filter((s): s is string => typeof s === "string" && s.length > 3);
    expect(secrets.length).toBeGreaterThan(100);
    expect(secrets.filter((s) => everything.includes(s))).toEqual([]);
    expect(everything).toMatch(/email#[0-9a-f]{6}/);
    expect(everything).toMatch(/<customer_name>customer \d+<\/customer_name>/);

    // The pseudonymised name carries the id, and the id works for a follow-up call.
    const shown = byEmail.customer.name ?? "";
    const id = Number(/customer (\d+)/.exec(shown)?.[1]);
    expect((await h.call("get_customer", { customer: id })).isError).toBeFalsy();
  }, 60_000);

  it("a custom-data value shaped like more pairs hides every part of it in the text too", async () => {
    // The text once hid values by splitting its own line on "; " and "=": "a; Hidden Person=x" then
    // read as a second pair whose key, "Hidden Person", was shown.
    const customer = [...h.sandbox.state.customers.values()][0] as { id: number; customData?: Record<string, string | number | boolean> };
    customer.customData = { plan: "a; Hidden Person=x", "referred by": "Secret Friend; Other=y=z", seats: 3 };
    const result = await h.call("get_customer", { customer: customer.id });
    const text = h.text(result);
    const everything = `${text}\n${JSON.stringify(result.structuredContent)}`;
    for (const secret of ["Hidden Person", "Secret Friend", "Other="]) expect(everything).not.toContain(secret);
    expect(text).toMatch(
      /Custom data: <customer_data>plan=value#[0-9a-f]{6}; referred by=value#[0-9a-f]{6}; seats=value#[0-9a-f]{6}<\/customer_data>/,
    );
  });

  it("the server's instructions say the mode is on", async () => {
    expect(h.mcp.getInstructions()).toMatch(/Privacy mode/);
  });
});
