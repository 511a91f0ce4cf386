/**
 * Token budgets of what every conversation carries (issue 14): the tool definitions a model receives
 * (name + description + input schema; Claude and OpenAI clients pass no output schema or annotations)
 * and the whole tools/list answer, for every tool set the server can publish. Deterministic counts
 * (o200k tokenizer), so a budget can be a test: a new tool or a longer description must fit.
 */
import { encode } from "gpt-tokenizer";
import { afterAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../helpers/harness.js";

export const MODEL_FACING_BUDGET = 4_000;
export const WIRE_BUDGET = 6_000;

const tokens = (value: unknown) => encode(JSON.stringify(value)).length;
const harnesses: Harness[] = [];
afterAll(() => Promise.all(harnesses.map((h) => h.close())));

describe.each([
  ["default", false],
  ["read-only", true],
])("the %s tool set", (_name, readOnly) => {
  it(`costs ≤ ${MODEL_FACING_BUDGET} tokens model-facing and ≤ ${WIRE_BUDGET} on the wire`, async () => {
    const h = await startHarness({ config: { readOnly } });
    harnesses.push(h);
    const listed = await h.mcp.listTools();
    const modelFacing = listed.tools.reduce((sum, t) => sum + tokens({ name: t.name, description: t.description, input_schema: t.inputSchema }), 0);
    expect(modelFacing).toBeLessThanOrEqual(MODEL_FACING_BUDGET);
    expect(tokens(listed)).toBeLessThanOrEqual(WIRE_BUDGET);
  });
});

it("publishes no validation plumbing a model cannot use", async () => {
  const h = await startHarness();
  harnesses.push(h);
  const wire = JSON.stringify(await h.mcp.listTools());
  for (const noise of ['"$schema"', '"additionalProperties":false', '"propertyNames"', '"multipleOf":1']) expect(wire).not.toContain(noise);
});
