/**
 * The one-file build (scripts/build.mjs): dist/server.js carries its own map back to src/, a stdio
 * start-up loads neither undici nor the HTTP stack until they are needed, and the code it carries
 * is compiled through V8's code cache, written by the first start and used by the next.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { startKnowledge } from "../../src/services/knowledge/index.js";
import { packageRoot } from "../../src/version.js";
import { startHarness } from "../helpers/harness.js";
import { SERVER_PATH } from "../helpers/spawn.js";

const work = mkdtempSync(join(tmpdir(), "helpcrunch-build-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Node built-ins the process had loaded when it exited, recorded by a --import preload. */
async function builtinsLoaded(run: (client: Client) => Promise<void>): Promise<string[]> {
  const out = join(work, `modules-${Math.random().toString(36).slice(2)}.txt`);
  const preload = join(work, "record-modules.mjs");
  writeFileSync(
    preload,
    `import { writeFileSync } from "node:fs";\nprocess.on("exit", () => writeFileSync(process.env.MODULES_OUT, process.moduleLoadList.join("\\n")));\n`,
  );
  const client = new Client({ name: "build-test", version: "1" });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: ["--import", pathToFileURL(preload).href, SERVER_PATH],
      // Nothing listens on port 9: a request fails at once, after undici has been loaded.
      env: {
        PATH: process.env.PATH ?? "",
        HELPCRUNCH_API_KEY: "build-test-key",
        HELPCRUNCH_BASE_URL: "http://127.0.0.1:9/v1",
        HELPCRUNCH_MAX_RETRIES: "0",
        HELPCRUNCH_LOG_LEVEL: "error",
        MODULES_OUT: out,
      },
      stderr: "ignore",
    }),
  );
  await run(client);
  await client.close();
  for (let i = 0; i < 50; i++) {
    try {
      return readFileSync(out, "utf8")
        .split("\n")
        .flatMap((m) => (m.startsWith("NativeModule ") ? [m.slice("NativeModule ".length)] : []));
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error("the server did not record its modules");
}

/** The server's code as dist/server.js carries it: a string literal its launcher compiles (scripts/build.mjs). */
function carriedCode(launcher: string): string {
  const line = launcher.split("\n").find((l) => l.startsWith("const code = "));
  if (!line) throw new Error("dist/server.js carries no code string");
  return JSON.parse(line.slice("const code = ".length, -1)) as string;
}

/** Starts dist/server.js on stdio with `env`, ends it `ms` after it says it is ready, and returns what it wrote to stderr. */
function startFor(ms: number, env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [SERVER_PATH], {
    env: {
      PATH: process.env.PATH ?? "",
      HELPCRUNCH_API_KEY: "build-test-key",
      HELPCRUNCH_BASE_URL: "http://127.0.0.1:9/v1",
      HELPCRUNCH_LOG_LEVEL: "debug",
      ...env,
    },
    stdio: ["pipe", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    const ready = !stderr.includes("ready on stdio");
    stderr += chunk.toString();
    if (ready && stderr.includes("ready on stdio")) setTimeout(() => child.stdin.end(), ms);
  });
  return new Promise((resolve) => child.once("exit", () => resolve(stderr)));
}

describe("dist/server.js", () => {
  const launcher = readFileSync(SERVER_PATH, "utf8");
  const code = carriedCode(launcher);

  it("starts with a shebang and links an external source map whose src/ sources carry their content", () => {
    expect(launcher.startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(code.trimEnd().endsWith("//# sourceMappingURL=server.js.map")).toBe(true);
    const map = JSON.parse(readFileSync(`${SERVER_PATH}.map`, "utf8")) as { sources: string[]; sourcesContent: Array<string | null> };
    const ours = map.sources.flatMap((s, i) => (s.startsWith("../src/") ? [[s, map.sourcesContent[i]] as const] : []));
    expect(ours.map(([s]) => s)).toContain("../src/server.ts");
    expect(ours.filter(([, content]) => !content)).toEqual([]);
  });

  it("maps a position in the bundle back to its line in src/", () => {
    const at = code.indexOf("did not answer within");
    const before = code.slice(0, at);
    const entry = new SourceMap(JSON.parse(readFileSync(`${SERVER_PATH}.map`, "utf8"))).findEntry(
      before.split("\n").length - 1,
      at - before.lastIndexOf("\n") - 1,
    );
    expect(entry).toMatchObject({ originalSource: "../src/helpcrunch/http-transport.ts" });
    const line = readFileSync(join(packageRoot(), "src", "helpcrunch", "http-transport.ts"), "utf8").split("\n")[
      (entry as { originalLine: number }).originalLine
    ];
    expect(line).toContain("did not answer within");
  });

  it("inlines tools/list computed at build time, identical to what the sources compute, for every tool set", async () => {
    // The published JSON Schema is a literal in the bundle (the sources only build it from zod at run time).
    expect(code).toMatch(/inputSchema:\{type:"object",properties:\{/);
    for (const readOnly of [false, true]) {
      // --demo serves its own help center and saved replies, so it offers search_knowledge: so does this harness.
      const folder = mkdtempSync(join(tmpdir(), "build-test-knowledge-"));
      writeFileSync(join(folder, "replies.md"), "## Refunds\nWithin 30 days.\n");
      const knowledge = startKnowledge({ savedReplies: join(folder, "replies.md"), cacheDir: folder }, createLogger("error", []));
      const h = await startHarness({ config: { readOnly }, knowledge });
      const computed = await h.mcp.listTools();
      knowledge.stop();
      rmSync(folder, { recursive: true, force: true });
      await h.close();
      const client = new Client({ name: "build-test", version: "1" });
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [SERVER_PATH, "--demo", ...(readOnly ? ["--read-only"] : [])],
          // The harness's policy, since the customer-facing tools' descriptions say which is in force.
          env: { PATH: process.env.PATH ?? "", HELPCRUNCH_LOG_LEVEL: "error", HELPCRUNCH_CUSTOMER_MESSAGES: "off" },
          stderr: "ignore",
        }),
      );
      expect(await client.listTools()).toEqual(computed);
      await client.close();
    }
  });

  it("writes V8's code cache at its first start, uses it at the next, and writes none when told not to", async () => {
    const folder = join(work, "code-cache");
    // The cache is written 100 ms after the code is compiled: each start here lives 500 ms past ready.
    const first = await startFor(500, { HELPCRUNCH_CODE_CACHE: folder });
    expect(first).toMatch(/code cache: written: /);
    const files = readdirSync(folder);
    expect(files).toEqual([expect.stringMatching(new RegExp(`^server-[0-9a-f]{16}-${process.version}-${process.arch}\\.v8$`))]);
    const second = await startFor(500, { HELPCRUNCH_CODE_CACHE: folder });
    expect(second).toMatch(/code cache: used /);
    expect(second).toMatch(/ready on stdio/);
    // A cache V8 refuses (here: another file's bytes) is written again, never trusted.
    writeFileSync(join(folder, files[0] as string), "not a code cache");
    expect(await startFor(500, { HELPCRUNCH_CODE_CACHE: folder })).toMatch(/rejected, written again/);
    const off = join(work, "no-cache");
    expect(await startFor(500, { HELPCRUNCH_CODE_CACHE: "off", XDG_CACHE_HOME: off })).toMatch(/ready on stdio/);
    expect(existsSync(off)).toBe(false);
  });

  it("answers tools/list without loading undici or the HTTP stack; the first HelpCrunch request loads undici", async () => {
    const undiciMarkers = ["http2", "tls", "zlib"];
    const idle = await builtinsLoaded(async (client) => {
      expect((await client.listTools()).tools.length).toBeGreaterThanOrEqual(14);
    });
    expect(idle).toContain("net");
    expect(idle.filter((m) => [...undiciMarkers, "http", "https", "crypto"].includes(m))).toEqual([]);

    const used = await builtinsLoaded(async (client) => {
      const result = await client.callTool({ name: "list_agents", arguments: {} });
      expect(JSON.stringify(result.content)).toContain("Could not reach HelpCrunch");
    });
    expect(used).toEqual(expect.arrayContaining(undiciMarkers));
  });
});
