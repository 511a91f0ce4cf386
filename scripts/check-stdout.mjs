// Lint rule for the one invariant a type checker cannot see: stdout belongs to the MCP protocol.
// Server code must not call console.log/info/warn/debug or write to process.stdout; the demo, the
// sandbox CLI and benchmarks are separate programs and may print.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const ALLOWED = new Set(["src/cli/demo.ts", "src/sandbox/cli.ts", "src/server.ts"]);
const PATTERN = /console\.(log|info|warn|debug|table|dir)\(|process\.stdout\.write\(/;

/** @param {string} dir @returns {Generator<string>} */
function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (path.endsWith(".ts")) yield path;
  }
}

/** @type {string[]} */
const hits = [];
for (const file of files("src")) {
  const rel = relative(".", file);
  if (ALLOWED.has(rel)) continue;
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (PATTERN.test(line)) hits.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
}
if (hits.length > 0) {
  console.error(`stdout is reserved for JSON-RPC; log to stderr instead:\n${hits.join("\n")}`);
  process.exit(1);
}
console.error("check-stdout: ok");
