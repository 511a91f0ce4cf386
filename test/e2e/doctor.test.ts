/** `helpcrunch-mcp doctor`: the built server checks an account read-only and exits non-zero when a needed endpoint fails. */
import { afterEach, describe, expect, it } from "vitest";
import type { DoctorReport } from "../../src/doctor/index.js";
import { randomStatusCodes, type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";
import { runServer } from "../helpers/spawn.js";

let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

const env = (s: SandboxHandle) => ({ HELPCRUNCH_API_KEY: s.apiKey, HELPCRUNCH_BASE_URL: s.url });

describe("doctor", () => {
  it("--demo prints the report and exits 0", async () => {
    const run = await runServer({}, ["doctor", "--demo"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Result: OK/);
    expect(run.stdout).toMatch(/status filter: numeric codes: /);
    expect(run.stdout).toMatch(/names do not work/);
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
});
