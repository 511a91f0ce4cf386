/**
 * Every registered tool has its own test file, test/tools/<tool>.test.ts, holding its golden answer
 * (test/helpers/typed-call.ts), and a test that calls it by name (sentry-mcp's tools.test.ts does the
 * same): a new tool without them fails here, whatever else its author remembered.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { APP_TOOLS, TOOLS } from "../../src/tools/index.js";
import { packageRoot } from "../../src/version.js";

const TEST_ROOT = join(packageRoot(), "test");

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "__snapshots__" ? [] : testFiles(path);
    return /\.(test\.ts|py)$/.test(name) || name === "scenario.ts" ? [path] : [];
  });
}

/** A call by name: `call("x", …)`, `h.call(client, "x", …)`, `callTool({ name: "x", …})`, `call_tool("x", …)`. */
const callsOf = (text: string, tool: string) =>
  new RegExp(String.raw`(?:\bcall(?:Tool|_tool)?\s*\(\s*(?:[\w.]+\s*,\s*)?|\bname:\s*)["']${tool}["']`).test(text);

describe("every registered tool", () => {
  const files = testFiles(TEST_ROOT).map((path) => ({ path, text: readFileSync(path, "utf8") }));

  it.each([...TOOLS, ...APP_TOOLS].map((t) => [t.name]))("%s has test/tools/%s.test.ts with its golden answer", (tool) => {
    const path = join(TEST_ROOT, "tools", `${tool}.test.ts`);
    expect(existsSync(path), `${path} is missing`).toBe(true);
    expect(readFileSync(path, "utf8")).toContain(`golden("${tool}"`);
    expect(existsSync(join(TEST_ROOT, "tools", "__goldens__", `${tool}.json`)), `the golden of ${tool} is missing: run vitest -u`).toBe(
      true,
    );
  });

  it.each(TOOLS.map((t) => [t.name]))("%s is called by name in a test", (tool) => {
    expect(files.filter((f) => callsOf(f.text, tool)).map((f) => f.path)).not.toEqual([]);
  });

  it("the check finds the shapes calls take, and nothing else", () => {
    expect(callsOf('await h.call("get_chat", { chat_id: 1 })', "get_chat")).toBe(true);
    expect(callsOf('call(a.client, "send_message", args)', "send_message")).toBe(true);
    expect(callsOf('client.callTool({ name: "triage_queue", arguments: {} })', "triage_queue")).toBe(true);
    expect(callsOf('expect(names).toContain("get_chat")', "get_chat")).toBe(false);
  });
});
