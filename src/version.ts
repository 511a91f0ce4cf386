import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The nearest folder above this module holding package.json: works from src/, dist/ and dist-bench/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Set by scripts/build.mjs in the bundle (the .mcpb has no package.json); undefined under tsc and vitest. */
declare const HELPCRUNCH_MCP_VERSION: string | undefined;

export const VERSION: string =
  typeof HELPCRUNCH_MCP_VERSION === "string"
    ? HELPCRUNCH_MCP_VERSION
    : (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
