/**
 * The MCP bundle as Claude Desktop gets it: scripts/bundle.mjs (`npm run bundle`) builds the .mcpb
 * from the one-file build, @anthropic-ai/mcpb unpacks it into an empty folder, and the manifest's own
 * mcp_config, with ${__dirname} and ${user_config.*} filled in as the host does, starts it with --demo.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { unpackExtension, validateManifest } from "@anthropic-ai/mcpb";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { searchChats } from "../../src/tools/search_chats.js";
import { packageRoot, VERSION } from "../../src/version.js";
import { parsed } from "../helpers/typed-call.js";

const root = packageRoot();
const work = mkdtempSync(join(tmpdir(), "helpcrunch-mcpb-test-"));
const mcpb = join(work, "helpcrunch-mcp.mcpb");
const unpacked = join(work, "unpacked");

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, "scripts", "bundle.mjs"), mcpb], { cwd: root, stdio: "pipe" });
  expect(await unpackExtension({ mcpbPath: mcpb, outputDir: unpacked, silent: true })).toBe(true);
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

interface McpConfig {
  command: string;
  args: string[];
  env: Record<string, string>;
}

describe("helpcrunch-mcp.mcpb", () => {
  it("has a manifest that passes @anthropic-ai/mcpb's own validation", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(validateManifest(join(root, "manifest.json"))).toBe(true);
    } finally {
      log.mockRestore();
    }
  });

  it("holds the manifest, the one-file server (and its vendor files, loaded when first needed), README and LICENSE: no node_modules", () => {
    expect(filesUnder(unpacked).sort()).toEqual([
      "LICENSE",
      "README.md",
      "dist/server.js",
      "dist/vendor/ajv.cjs",
      "dist/vendor/ioredis.cjs",
      "dist/vendor/jose.cjs",
      "dist/vendor/undici.cjs",
      "manifest.json",
    ]);
    expect(statSync(join(unpacked, "dist", "server.js")).mode & 0o111).not.toBe(0);
    expect(statSync(mcpb).size).toBeLessThan(1_500_000);
  });

  it("starts from the unpacked folder with the manifest's command, args and env and serves --demo", async () => {
    const manifest = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8")) as { server: { mcp_config: McpConfig } };
    const { command, args, env } = manifest.server.mcp_config;
    expect(command).toBe("node");
    // What Claude Desktop fills in: the folder it unpacked to, and the settings (booleans as "true"/"false").
    const settings: Record<string, string> = {
      api_key: "mcpb-test-key",
      read_only: "false",
      default_agent: "",
      customer_messages: "confirm",
      privacy: "contact",
    };
    const fill = (value: string) =>
      value.replaceAll("${__dirname}", unpacked).replace(/\$\{user_config\.(\w+)\}/g, (_, key: string) => {
        if (!(key in settings)) throw new Error(`the test does not fill user_config.${key}`);
        return settings[key] as string;
      });
    const client = new Client({ name: "mcpb-test", version: "1" });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [...args.map(fill), "--demo"],
        env: {
          PATH: process.env.PATH ?? "",
          ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, fill(v)])),
          HELPCRUNCH_LOG_LEVEL: "error",
        },
        cwd: work,
        stderr: "ignore",
      }),
    );
    try {
      expect(client.getServerVersion()?.version).toBe(VERSION);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("search_chats");
      const result = await client.callTool({ name: "search_chats", arguments: { limit: 3 } });
      expect(result.isError).toBeFalsy();
      expect(parsed(searchChats, result).chats.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });
});
