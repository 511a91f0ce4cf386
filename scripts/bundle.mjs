// `npm run bundle` (after `npm run build`): helpcrunch-mcp.mcpb, the MCP bundle Claude Desktop
// installs in one click. `node scripts/bundle.mjs OUT.mcpb` writes it elsewhere (the tests do).
//
// dist/server.js is self-contained (scripts/build.mjs), so the bundle needs no node_modules: it holds
// manifest.json, the server, README.md and LICENSE (and the icon, if manifest.json names one). These
// are copied into an empty staging folder, and @anthropic-ai/mcpb's packExtension (what `mcpb pack`
// runs) validates the manifest and zips that folder, so nothing else from the checkout can slip in.
// The source map stays out: mcpb excludes *.map from every bundle (and it would triple the size);
// the npm package ships it.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { packExtension } from "@anthropic-ai/mcpb";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const output = resolve(process.argv[2] ?? join(root, "helpcrunch-mcp.mcpb"));
const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
const vendor = readdirSync(join(root, "dist", "vendor")).map((name) => `dist/vendor/${name}`);
const files = ["manifest.json", manifest.server.entry_point, ...vendor, "README.md", "LICENSE", ...(manifest.icon ? [manifest.icon] : [])];

const missing = files.filter((file) => !existsSync(join(root, file)));
if (missing.length > 0) {
  process.stderr.write(`bundle: missing ${missing.join(", ")}; run npm run build first\n`);
  process.exit(1);
}

const stage = mkdtempSync(join(tmpdir(), "helpcrunch-mcpb-"));
try {
  for (const file of files) {
    mkdirSync(dirname(join(stage, file)), { recursive: true });
    copyFileSync(join(root, file), join(stage, file));
  }
  if (!(await packExtension({ extensionPath: stage, outputPath: output, silent: true }))) {
    process.stderr.write("bundle: packing failed (run `npx mcpb validate manifest.json` for the manifest's problems)\n");
    process.exit(1);
  }
} finally {
  rmSync(stage, { recursive: true, force: true });
}
process.stderr.write(`bundle: wrote ${output} (${(statSync(output).size / 1_000_000).toFixed(2)} MB: ${files.join(", ")})\n`);
