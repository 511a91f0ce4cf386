/**
 * A real redis-server on a free loopback port, no persistence, a temporary directory: for the tests
 * (through redis.ts) and the benchmarks, which run outside vitest.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./spawn.js";

export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is saved). */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

function redisServerPath(): string {
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(
      "redis-server is not installed: run `apt-get install -y redis-server` (the test run's global setup does it when it can)",
    );
  }
}

/** Resolves once something answers PING with PONG on the port. */
async function waitForPong(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.setTimeout(500);
      socket.once("error", () => resolve(false));
      socket.once("timeout", () => {
        socket.destroy();
        resolve(false);
      });
      socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
      socket.once("data", (data) => {
        socket.destroy();
        resolve(data.toString().startsWith("+PONG"));
      });
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`redis-server did not answer on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRedis(): Promise<RedisServer> {
  const binary = redisServerPath();
  const dir = mkdtempSync(join(tmpdir(), "helpcrunch-redis-"));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const output: string[] = [];
  const start = async () => {
    const started = spawn(
      binary,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--loglevel", "warning"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    started.stdout?.on("data", (c: Buffer) => output.push(c.toString()));
    started.stderr?.on("data", (c: Buffer) => output.push(c.toString()));
    child = started;
    const exited = new Promise<never>((_, reject) =>
      started.once("exit", (code) => reject(new Error(`redis-server exited (${code}) before answering: ${output.join("").slice(-500)}`))),
    );
    exited.catch(() => {}); // a later exit (stop) is expected
    await Promise.race([waitForPong(port), exited]);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    running.kill("SIGTERM");
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    restart: start,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The most of `times` inside any interval [t, t + windowMs). */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[j] as number) <= (sorted[i] as number) - windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}
