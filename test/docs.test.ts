import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { withManifestLists, withReadmeToolTable } from "../src/cli/docs/generated.js";
import { renderServerJson } from "../src/cli/docs/registry-entry.js";
import { renderToolsDoc } from "../src/cli/docs/tools-doc.js";
import { TOOLS } from "../src/tools/index.js";

describe("docs/tools.md", () => {
  it("is up to date with the registry (run `npm run docs` after changing a tool)", () => {
    expect(readFileSync("docs/tools.md", "utf8")).toBe(renderToolsDoc());
  });

  it("documents every parameter of every tool", () => {
    const doc = renderToolsDoc();
    for (const tool of TOOLS) {
      expect(doc).toContain(`## \`${tool.name}\``);
      for (const param of Object.keys(tool.inputSchema.shape)) expect(doc, `${tool.name}.${param}`).toContain(`| \`${param}\` |`);
    }
  });
});

describe("generated lists (npm run docs writes them; each stale file fails here)", () => {
  it.each<[string, (current: string) => string]>([
    ["README.md", withReadmeToolTable],
    ["manifest.json", withManifestLists],
    // Derived from manifest.json as `npm run docs` writes it (the variables, description, version).
    ["server.json", () => renderServerJson(withManifestLists(readFileSync("manifest.json", "utf8")))],
  ])("%s is up to date with the registry", (file, render) => {
    const current = readFileSync(file, "utf8");
    expect(current).toBe(render(current));
  });
});

describe("README", () => {
  it("lists every tool in its tool table and shows the two quick-start commands", () => {
    const readme = readFileSync("README.md", "utf8");
    for (const tool of TOOLS) expect(readme, tool.name).toContain(`| \`${tool.name}\` | ${tool.kind} |`);
    expect(readme).toContain("npm ci && npm run demo\nnpm test");
  });
});
