/**
 * Vitest global setup: the end-to-end tests spawn dist/server.js (and the demo, the sandbox CLI), so
 * `npx vitest` alone builds them first, once per run, and only when a source is newer than the build.
 * Then it provisions what some tests need beyond `npm ci` (test/prerequisites.ts) and tells the test
 * files what is missing.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { provisionPrerequisites } from "./prerequisites.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function buildWhenStale(): void {
  const built = join(root, "dist", "server.js");
  const sources = Math.max(newest(join(root, "src")), newest(join(root, "scripts", "build.mjs")), newest(join(root, "package.json")));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  process.stderr.write("global setup: dist/ is missing or older than src/, building (node scripts/build.mjs)\n");
  execFileSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
}

export default function setup(project: TestProject): void {
  buildWhenStale();
  project.provide("prerequisites", provisionPrerequisites(root));
}
