/**
 * Vitest global setup: the end-to-end tests spawn dist/server.js (and the demo, the sandbox CLI), so
 * `npx vitest` alone builds them first, once per run, and only when a source is newer than the build.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export default function setup(): void {
  const built = join(root, "dist", "server.js");
  const sources = Math.max(newest(join(root, "src")), newest(join(root, "scripts", "build.mjs")), newest(join(root, "package.json")));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  process.stderr.write("global setup: dist/ is missing or older than src/, building (node scripts/build.mjs)\n");
  execFileSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
}
