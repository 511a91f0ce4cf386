/** Spawns the built server (dist/server.js) as an MCP client would, over stdio. */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer as createNetServer } from "node:net";
import { join } from "node:path";
import { Client, type ClientOptions } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { packageRoot } from "../../src/version.js";

export const SERVER_PATH = join(packageRoot(), "dist", "server.js");

export async function connectStdio(env: Record<string, string>, args: string[] = [], options?: ClientOptions) {
  const stderr: string[] = [];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [SERVER_PATH, ...args],
    env: { PATH: process.env.PATH ?? "", HELPCRUNCH_LOG_LEVEL: "debug", ...env },
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const client = new Client({ name: "stdio-test", version: "1.0.0" }, options);
  await client.connect(transport);
  return { client, stderr, close: () => client.close() };
}

/** Runs the server to exit (for start-up failures); resolves with its exit code and output. */
export function runServer(
  env: Record<string, string>,
  args: string[] = [],
  stdin = "",
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER_PATH, ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createNetServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The built server in --http mode on `port`, just started: stderr piped (at info unless `env` says
 * otherwise), nothing awaited, for a caller that waits for a line of its own.
 */
export function spawnHttpProcess(port: number, env: Record<string, string>, args: string[] = []): ChildProcess {
  return spawn(process.execPath, [SERVER_PATH, ...args, "--http", "--port", String(port)], {
    env: { PATH: process.env.PATH ?? "", HELPCRUNCH_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
}

/** The built server in --http mode (with --demo unless `args` say otherwise) on a free loopback port, once it says it is serving. */
export async function spawnHttp(
  env: Record<string, string> = {},
  args: string[] = ["--demo"],
): Promise<{ base: string; child: ChildProcess; stop(): void }> {
  const port = await freePort();
  const child = spawnHttpProcess(port, env, args);
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("serving Streamable HTTP")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
  return { base: `http://127.0.0.1:${port}`, child, stop: () => void child.kill("SIGTERM") };
}

/** One raw JSON-RPC POST to a spawned --http server's /mcp, with `headers` (an authorization, a protocol version) added. */
export function postMcp(base: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify(body),
  });
}

/** One raw 2025-11-25 JSON-RPC POST to a spawned --http server's /mcp, as a 2025 client sends it after initialize. */
export function postLegacy(base: string, token: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return postMcp(base, body, { authorization: `Bearer ${token}`, "mcp-protocol-version": "2025-11-25", ...headers });
}
