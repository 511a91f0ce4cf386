/**
 * `npx helpcrunch-mcp` from a packed tarball, as a user gets it: pack, install into an empty
 * folder, run --version, --help and a --demo session over stdio. The package has no runtime
 * dependencies (dist/server.js is one bundled file), so the install adds exactly one package and
 * needs no registry: it runs with --offline.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot, VERSION } from "../../src/version.js";

const root = packageRoot();
const work = mkdtempSync(join(tmpdir(), "helpcrunch-pack-"));
const app = join(work, "app");
let files: string[];
let installed: { added?: number };

const npm = (args: string[], cwd: string) =>
  execFileSync("npm", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_loglevel: "error" },
  });

beforeAll(() => {
  const packed = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], root)) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  files = packed[0]?.files.map((f) => f.path) ?? [];
  execFileSync("mkdir", [app]);
  writeFileSync(join(app, "package.json"), '{"name":"empty","version":"1.0.0","private":true}');
  installed = JSON.parse(
    npm(["install", "--offline", "--json", "--no-audit", "--no-fund", join(work, packed[0]?.filename as string)], app),
  ) as { added?: number };
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("packed tarball", () => {
  it("ships the one-file server and its source map, README, LICENSE and package.json: nothing else", () => {
    expect([...files].sort()).toEqual([
      "LICENSE",
      "README.md",
      "dist/server.js",
      "dist/server.js.map",
      "dist/vendor/ajv.cjs",
      "dist/vendor/ioredis.cjs",
      "dist/vendor/jose.cjs",
      "dist/vendor/undici.cjs",
      "package.json",
    ]);
  });

  it("installs exactly one package: itself, with no dependencies", () => {
    expect(installed.added).toBe(1);
    expect(readdirSync(join(app, "node_modules")).filter((d) => !d.startsWith("."))).toEqual(["helpcrunch-mcp"]);
    const manifest = JSON.parse(readFileSync(join(app, "node_modules", "helpcrunch-mcp", "package.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.optionalDependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
  });

  it("runs with npx: --version, --help", () => {
    expect(execFileSync("npx", ["--no-install", "helpcrunch-mcp", "--version"], { cwd: app, encoding: "utf8" }).trim()).toMatch(
      /^\d+\.\d+\.\d+$/,
    );
    expect(execFileSync("npx", ["--no-install", "helpcrunch-mcp", "--help"], { cwd: app, encoding: "utf8" })).toMatch(
      /Usage: helpcrunch-mcp/,
    );
  });

  it("serves the demo over stdio from the installed package", async () => {
    const bin = join(app, "node_modules", ".bin", "helpcrunch-mcp");
    expect(readdirSync(join(app, "node_modules", ".bin"))).toContain("helpcrunch-mcp");
    const client = new Client({ name: "pack-test", version: "1" });
    await client.connect(
      new StdioClientTransport({
        command: bin,
        args: ["--demo"],
        env: { PATH: process.env.PATH ?? "", HELPCRUNCH_LOG_LEVEL: "error" },
        stderr: "ignore",
      }),
    );
    expect(client.getServerVersion()?.version).toBe(VERSION);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(14);
    const triage = await client.callTool({ name: "triage_queue", arguments: { limit: 3 } });
    expect(triage.isError).toBeFalsy();
    await client.close();
  });
});
