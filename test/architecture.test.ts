/**
 * Dependencies point one way. Every file of src/ belongs to a layer; a file may import from its own
 * layer and the layers below it, never above, and no set of files imports itself in a circle (not
 * even for a type: `import type` counts). The sandbox is an emulator apart: it imports nothing
 * outside src/sandbox/, so it cannot agree with the client's mistakes. The MCP Apps views
 * (src/views/) are browser code, bundled on their own by scripts/build.mjs: they import nothing
 * outside src/views/ (the tools' structuredContent is data they read) but the leaf files named in
 * VIEWS_MAY_IMPORT (pure functions that import nothing, so the browser bundle pulls in nothing else:
 * a view writes durations with the text answers' own humanDuration), and nothing imports them.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/version.js";

/** Bottom first. A path belongs to the first layer one of whose prefixes it starts with. */
const LAYERS: Array<{ name: string; paths: string[] }> = [
  { name: "base", paths: ["src/log.ts", "src/redact.ts", "src/version.ts", "src/tool-error.ts", "src/pool.ts", "src/bounded-read.ts"] },
  { name: "helpcrunch", paths: ["src/helpcrunch/"] },
  { name: "domain", paths: ["src/domain/"] },
  { name: "config", paths: ["src/config.ts"] },
  { name: "present", paths: ["src/present/"] },
  { name: "services", paths: ["src/services/", "src/shared-state/"] },
  { name: "runtime", paths: ["src/runtime/"] },
  { name: "tool kit", paths: ["src/tools/kit/"] },
  { name: "tools", paths: ["src/tools/"] },
  { name: "mcp", paths: ["src/mcp/"] },
  { name: "cli", paths: ["src/cli/", "src/server.ts"] },
];

/**
 * Narrower than the layer order, per folder (as playwright's DEPS.list files): what a folder's files
 * may import besides their own folder. A target is a folder prefix or an exact file. Folders not
 * listed may import every layer below their own.
 */
const ALLOWED: Record<string, string[]> = {
  // The server serves the registry: it reaches tools through src/tools/index.ts, never a tool file or the kit.
  "src/mcp/": [...LAYERS.slice(0, 7).flatMap((l) => l.paths), "src/tools/index.ts"],
  // A tool's helpers know nothing of the server nor of any tool.
  "src/tools/kit/": LAYERS.slice(0, 7).flatMap((l) => l.paths),
  // Presentation reads no setting: what an output depends on (a privacy mode) is passed in.
  "src/present/": LAYERS.slice(0, 3).flatMap((l) => l.paths),
  // The client is the only code that knows HelpCrunch, and it knows nothing else.
  "src/helpcrunch/": ["src/log.ts", "src/redact.ts", "src/version.ts", "src/tool-error.ts", "src/pool.ts", "src/bounded-read.ts"],
};

const ROOT = packageRoot();
const SANDBOX = "src/sandbox/";
const VIEWS = "src/views/";
/** Files outside src/views/ that the views may import: leaves (they import nothing), shared with the text answers. */
const VIEWS_MAY_IMPORT = ["src/domain/time.ts"];
/** Folders outside the layers: they must be independent (tested below). */
const APART = (file: string) => file.startsWith(SANDBOX) || file.startsWith(VIEWS);

/** The .ts files under `dir`, and the .json ones (data a module imports; they import nothing). */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return path.endsWith(".ts") || path.endsWith(".json") ? [path] : [];
  });
}

function layerOf(path: string): number {
  const index = LAYERS.findIndex((layer) => layer.paths.some((p) => (p.endsWith("/") ? path.startsWith(p) : path === p)));
  if (index < 0) throw new Error(`${path} belongs to no layer: add it to LAYERS in test/architecture.test.ts`);
  return index;
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^;]*?\bfrom\s*["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

/** The src/ files `file` imports (relative specifiers only; packages are not layers). */
function importsOf(file: string, text = readFileSync(join(ROOT, file), "utf8")): string[] {
  return [...text.matchAll(IMPORT)].map((m) => normalize(join(dirname(file), (m[1] ?? m[2]) as string)).replace(/\.js$/, ".ts"));
}

const FILES = sources("src");
const GRAPH = new Map(FILES.map((file) => [file, file.endsWith(".json") ? [] : importsOf(file)]));

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1 || graph.get(v)?.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("layers", () => {
  it("every import in src/ resolves to a file that exists", () => {
    const missing = [...GRAPH].flatMap(([file, targets]) => targets.filter((t) => !GRAPH.has(t)).map((t) => `${file} → ${t}`));
    expect(missing).toEqual([]);
  });

  it("no file imports from a layer above its own", () => {
    const upward = [...GRAPH]
      .filter(([file]) => !APART(file))
      .flatMap(([file, targets]) =>
        targets
          .filter((t) => GRAPH.has(t) && !APART(t) && layerOf(t) > layerOf(file))
          .map((t) => `${file} (${LAYERS[layerOf(file)]?.name}) → ${t} (${LAYERS[layerOf(t)]?.name})`),
      );
    expect(upward).toEqual([]);
  });

  it("every folder imports only what its allow-list names", () => {
    const outside = (file: string, target: string) => {
      const folder = Object.keys(ALLOWED).find((f) => file.startsWith(f));
      if (folder === undefined || target.startsWith(folder)) return false;
      return !(ALLOWED[folder] as string[]).some((allowed) => (allowed.endsWith("/") ? target.startsWith(allowed) : target === allowed));
    };
    const refused = [...GRAPH].flatMap(([file, targets]) => targets.filter((t) => outside(file, t)).map((t) => `${file} → ${t}`));
    expect(refused).toEqual([]);
  });

  it("the allow-lists refuse an import from mcp/ into the tool kit or a tool file", () => {
    const folder = ALLOWED["src/mcp/"] as string[];
    const allows = (target: string) => folder.some((a) => (a.endsWith("/") ? target.startsWith(a) : target === a));
    expect(allows("src/tools/kit/chat-write.ts")).toBe(false);
    expect(allows("src/tools/get_chat.ts")).toBe(false);
    expect(allows("src/tools/index.ts")).toBe(true);
    expect(allows("src/runtime/view-uris.ts")).toBe(true);
  });

  it("no import cycle", () => {
    expect(cycles(GRAPH)).toEqual([]);
  });

  it("the sandbox imports nothing outside src/sandbox/, and only the CLI imports the sandbox", () => {
    const leaving = [...GRAPH]
      .filter(([file]) => file.startsWith(SANDBOX))
      .flatMap(([file, targets]) => targets.filter((t) => !t.startsWith(SANDBOX)).map((t) => `${file} → ${t}`));
    expect(leaving).toEqual([]);
    const into = [...GRAPH]
      .filter(([file]) => !file.startsWith(SANDBOX) && !file.startsWith("src/cli/") && file !== "src/server.ts")
      .flatMap(([file, targets]) => targets.filter((t) => t.startsWith(SANDBOX)).map((t) => `${file} → ${t}`));
    expect(into).toEqual([]);
  });

  it("the views import nothing outside src/views/ but the leaves they may, and nothing imports the views", () => {
    const leaving = [...GRAPH]
      .filter(([file]) => file.startsWith(VIEWS))
      .flatMap(([file, targets]) =>
        targets.filter((t) => !t.startsWith(VIEWS) && !VIEWS_MAY_IMPORT.includes(t)).map((t) => `${file} → ${t}`),
      );
    expect(leaving).toEqual([]);
    for (const leaf of VIEWS_MAY_IMPORT) expect(GRAPH.get(leaf), `${leaf} is a leaf`).toEqual([]);
    const into = [...GRAPH]
      .filter(([file]) => !file.startsWith(VIEWS))
      .flatMap(([file, targets]) => targets.filter((t) => t.startsWith(VIEWS)).map((t) => `${file} → ${t}`));
    expect(into).toEqual([]);
    expect([...GRAPH.keys()].filter((f) => f.startsWith(VIEWS)).length).toBeGreaterThan(3);
  });

  it("the checker sees an upward import, a cycle and a dynamic import when there is one", () => {
    // The rules above hold only if the parser finds imports of every shape the code uses.
    const text = [
      'import type { Tool } from "../tools/index.js";',
      'export { x } from "./y.js";',
      'const m = await import("../mcp/mcp-server.js");',
      'import {\n  a,\n  b,\n} from "../domain/sla.js";',
    ].join("\n");
    expect(importsOf("src/helpcrunch/client.ts", text)).toEqual([
      "src/tools/index.ts",
      "src/helpcrunch/y.ts",
      "src/mcp/mcp-server.ts",
      "src/domain/sla.ts",
    ]);
    expect(layerOf("src/tools/index.ts")).toBeGreaterThan(layerOf("src/helpcrunch/client.ts"));
    expect(
      cycles(
        new Map([
          ["a", ["b"]],
          ["b", ["a"]],
          ["c", ["a"]],
        ]),
      ),
    ).toEqual([["a", "b"]]);
    expect(relative(ROOT, join(ROOT, "src"))).toBe("src");
  });
});
