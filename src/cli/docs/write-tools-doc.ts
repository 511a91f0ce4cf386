/** `npm run docs`: regenerates every file that lists the tools or prompts (see generated.ts), then server.json from manifest.json. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../version.js";
import { withManifestLists, withReadmeToolTable } from "./generated.js";
import { renderServerJson } from "./registry-entry.js";
import { renderToolsDoc } from "./tools-doc.js";

const root = packageRoot();
const files: Array<[string, (current: string) => string]> = [
  ["docs/tools.md", () => renderToolsDoc()],
  ["README.md", withReadmeToolTable],
  ["manifest.json", withManifestLists],
  // After manifest.json: the registry entry is derived from the manifest just written.
  ["server.json", () => renderServerJson(readFileSync(join(root, "manifest.json"), "utf8"))],
];
for (const [file, render] of files) {
  const path = join(root, file);
  writeFileSync(path, render(readFileSync(path, "utf8")));
  process.stderr.write(`wrote ${path}\n`);
}
