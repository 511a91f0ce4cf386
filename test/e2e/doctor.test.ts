/** `helpcrunch-mcp doctor`: the built server checks an account read-only and exits non-zero when a needed endpoint fails. */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { DoctorReport } from "../../src/cli/doctor/index.js";
import { randomStatusCodes, type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";
import { runServer, SERVER_PATH } from "../helpers/spawn.js";

let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

const env = (s: SandboxHandle) => ({ HELPCRUNCH_API_KEY: s.apiKey, HELPCRUNCH_BASE_URL: s.url });

/** Runs the doctor to exit, noting when each stdout line arrived: a line printed as it goes arrives before the end. */
function runTimed(
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number; lines: Array<{ text: string; ms: number }> }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [SERVER_PATH, ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
    const lines: Array<{ text: string; ms: number }> = [];
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const ms = performance.now() - started;
      const before = stdout.split("\n").length - 1;
      stdout += chunk.toString();
      for (const text of stdout.split("\n").slice(before, -1)) lines.push({ text, ms });
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - started, lines }));
    child.stdin.end();
  });
}

/** Every check after (and including) `from`, in the order doctor runs them. */
const CHECKS = [
  "GET /agents",
  "GET /departments",
  "GET /applications",
  "GET /chats",
  "POST /chats/search",
  "GET /chats/{id}",
  "GET /chats/{id}/messages",
  "GET /customers/{id}",
  "POST /customers/search",
  "GET /organization",
];
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

describe("doctor", () => {
  it("--demo prints the report and exits 0", async () => {
    const run = await runServer({}, ["doctor", "--demo"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Result: OK/);
    expect(run.stdout).toContain("Team: an agent online: yes; chat widget on: yes");
    expect(run.stdout).toMatch(/status filter: numeric codes: /);
    expect(run.stdout).toMatch(/names do not work/);
    // Triage's exact top over a large queue needs this order; doctor checks it on one page.
    expect(run.stdout).toContain("chats.lastCustomerMessageAt asc kept");
    // The demo's help center and saved replies: found, indexed, what failed and why, the index's age.
    expect(run.stdout).toMatch(
      /help center http:\/\/127\.0\.0\.1:\d+\/: 40 articles indexed of \d+ pages found \(from sitemaps\), 1 failed; index age 0 min/,
    );
    expect(run.stdout).toMatch(/✗ http:\/\/127\.0\.0\.1:\d+\/en\/articles\/199-complete-changelog: larger than 1 MB/);
    expect(run.stdout).toMatch(/saved replies .*saved-replies\.md: 4 replies/);
  });

  it("a help center that gives no article is a problem: exit 1 with the reason", async () => {
    sandbox = await startSandbox({ seed: 3 });
    const run = await runServer(
      {
        ...env(sandbox),
        HELPCRUNCH_KNOWLEDGE_URL: "http://127.0.0.1:9/help/",
        HELPCRUNCH_KNOWLEDGE_CACHE: mkdtempSync(join(tmpdir(), "doctor-knowledge-")),
      },
      ["doctor", "--json"],
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as DoctorReport;
    expect(report.knowledge?.helpCenter?.indexed).toBe(0);
    expect(report.problems.join("\n")).toMatch(
      /HELPCRUNCH_KNOWLEDGE_URL \(http:\/\/127\.0\.0\.1:9\/help\/\) gave no article: .*first failure: unreachable/,
    );
  });

  it("--json reports every endpoint, the dialect with its evidence and the encodings seen, and never writes", async () => {
    sandbox = await startSandbox({ seed: 3, dialect: { statusFilter: { codes: randomStatusCodes(3) } } });
    const run = await runServer(env(sandbox), ["doctor", "--json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as DoctorReport;
    expect(report.ok).toBe(true);
    expect(report.endpoints.map((e) => e.endpoint)).toContain("POST /chats/search");
    expect(report.endpoints.every((e) => e.ok)).toBe(true);
    expect(report.dialect.statusFilter.encoding).toBe("code");
    const codes = sandbox.dialect.statusFilter;
    if (codes === "names") throw new Error("unreachable");
    for (const [status, code] of Object.entries(report.dialect.statusFilter.values))
      expect(codes.codes[status as keyof typeof codes.codes]).toBe(code);
    expect(report.dialect.requests.probes).toBeLessThanOrEqual(10);
    expect(report.dialect.searchOrders).toEqual({ "chats.lastCustomerMessageAt asc": true });
    expect(report.timestampEncodings.length).toBeGreaterThan(0);
    expect(sandbox.requests.every((r) => r.method === "GET" || r.path.endsWith("/search"))).toBe(true);
    expect(run.stdout).not.toContain(sandbox.apiKey);
  });

  it("names a broken endpoint and exits non-zero", async () => {
    sandbox = await startSandbox({ seed: 3 });
    sandbox.addFault({
      method: "GET",
      path: /^\/chats\/\d+\/messages$/,
      times: Number.POSITIVE_INFINITY,
      fault: { type: "status", status: 403 },
    });
    const run = await runServer(env(sandbox), ["doctor"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ GET \/chats\/\{id\}\/messages/);
    expect(run.stdout).toMatch(/Result: PROBLEMS\n {2}- GET \/chats\/\{id\}\/messages failed: HelpCrunch refused access/);
  });

  it("a wrong key fails every endpoint and says which variable to check", async () => {
    sandbox = await startSandbox({ seed: 3 });
    const run = await runServer({ ...env(sandbox), HELPCRUNCH_API_KEY: "wrong-key-0000" }, ["doctor"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Check HELPCRUNCH_API_KEY/);
    expect(run.stdout).not.toContain("wrong-key-0000");
  });

  it("a hanging API: stops at --timeout, prints each check as it finishes, names the unfinished ones as timed out, exits non-zero", async () => {
    sandbox = await startSandbox({ seed: 3 });
    sandbox.addFault({ method: "POST", path: "/chats/search", times: Number.POSITIVE_INFINITY, fault: { type: "delay", ms: 120_000 } });
    const run = await runTimed(env(sandbox), ["doctor", "--timeout", "3"]);
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(8_000);
    const agents = run.lines.find((l) => /✓ GET \/agents /.test(l.text));
    expect(agents, run.stdout).toBeDefined();
    // Printed when the check finished, not with the rest of the report at the end.
    expect(agents?.ms).toBeLessThan(run.ms - 1_500);
    for (const check of CHECKS.slice(4)) expect(run.stdout).toMatch(new RegExp(`✗ ${escaped(check)} +.*timed out`));
    expect(run.stdout).toMatch(
      new RegExp(`Result: PROBLEMS\\n {2}- Stopped at the 3 s deadline: ${CHECKS.length - 4} checks did not finish`),
    );
  });

  it("Retry-After: 30 on every request does not hold it past its deadline", async () => {
    sandbox = await startSandbox({ seed: 3 });
    sandbox.addFault({ times: Number.POSITIVE_INFINITY, fault: { type: "status", status: 429, retryAfter: 30 } });
    const run = await runTimed(env(sandbox), ["doctor", "--timeout", "5"]);
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(10_000);
    expect(run.stdout).toMatch(/✗ GET \/agents +HTTP 429 — HelpCrunch answered HTTP 429 to GET \/agents and asked to wait 30 s/);
  });

  it("says its default deadline of 30 s, and refuses a --timeout that is not a number of seconds", async () => {
    const run = await runServer({}, ["doctor", "--demo"]);
    expect(run.stdout.split("\n")[0]).toMatch(/stops after 30 s/);
    const bad = await runServer({}, ["doctor", "--demo", "--timeout", "soon"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("helpcrunch-mcp: --timeout must be a number of seconds (1–3600), e.g. --timeout 60\n");
  });

  it("never prints the password of a base URL with credentials, in text or JSON", async () => {
    sandbox = await startSandbox({ seed: 3 });
    const url = sandbox.url.replace("http://", "http://doctor-user:PASSWORD-8f3k2@");
    for (const args of [["doctor"], ["doctor", "--json"]]) {
      const run = await runServer({ ...env(sandbox), HELPCRUNCH_BASE_URL: url }, args);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).not.toContain("PASSWORD-8f3k2");
      expect(run.stdout).toContain(sandbox.url.replace("http://", "http://[redacted]@"));
    }
  });
});
