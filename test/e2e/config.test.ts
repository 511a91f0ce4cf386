import { describe, expect, it } from "vitest";
import { runServer } from "../helpers/spawn.js";

describe("start-up configuration (spawned process)", () => {
  it.each([
    [{}, /HELPCRUNCH_API_KEY is required/],
    [{ HELPCRUNCH_API_KEY: "k", HELPCRUNCH_TIMEOUT_MS: "soon" }, /HELPCRUNCH_TIMEOUT_MS must be a positive integer/],
    [{ HELPCRUNCH_API_KEY: "k", HELPCRUNCH_BASE_URL: "not a url" }, /HELPCRUNCH_BASE_URL must be an http\(s\) URL/],
    [{ HELPCRUNCH_API_KEY: "k", HELPCRUNCH_RATE_LIMIT_PER_MINUTE: "-5" }, /HELPCRUNCH_RATE_LIMIT_PER_MINUTE must be a positive integer/],
    [{ HELPCRUNCH_API_KEY: "k", HELPCRUNCH_CALL_TIMEOUT_MS: "500" }, /HELPCRUNCH_CALL_TIMEOUT_MS must be 1000–600000 \(milliseconds\)/],
    [{ HELPCRUNCH_API_KEY: "k", HELPCRUNCH_SLA_FIRST_REPLY: "soon" }, /HELPCRUNCH_SLA_FIRST_REPLY must be a duration such as "15m"/],
    [
      { HELPCRUNCH_API_KEY: "k", HELPCRUNCH_SLA_FIRST_REPLY: "15m", HELPCRUNCH_BUSINESS_HOURS: "Mon-Fri 18:00-09:00" },
      /HELPCRUNCH_BUSINESS_HOURS .*midnight/,
    ],
    [
      { HELPCRUNCH_API_KEY: "k", HELPCRUNCH_BUSINESS_HOURS: "Mon-Fri 09:00-18:00" },
      /HELPCRUNCH_BUSINESS_HOURS needs HELPCRUNCH_SLA_FIRST_REPLY/,
    ],
    [{ HELPCRUNCH_API_KEY: "k", HELPCRUNCH_TIMEZONE: "Mars/Olympus" }, /HELPCRUNCH_TIMEZONE must be an IANA time zone/],
    [{ HELPCRUNCH_API_KEY: "k", HELPCRUNCH_STATUS_FILTER: "numbers" }, /HELPCRUNCH_STATUS_FILTER must be auto, name or code/],
    [
      { HELPCRUNCH_API_KEY: "k", HELPCRUNCH_SLA_FIRST_REPLY: "99999999999999w" },
      /HELPCRUNCH_SLA_FIRST_REPLY must be a duration of at most 10 years/,
    ],
    [{ HELPCRUNCH_API_KEY: "k", HELPCRUNCH_TOOLS: ",,," }, /HELPCRUNCH_TOOLS leaves no tool to serve/],
    [
      { HELPCRUNCH_API_KEY: "k", HELPCRUNCH_TOOLS: "send_message,snooze_chat", HELPCRUNCH_READ_ONLY: "true" },
      /HELPCRUNCH_TOOLS leaves no tool to serve: .*read-only/,
    ],
    [
      { HELPCRUNCH_API_KEY: "k", HELPCRUNCH_TOOLS: "get_chat,delete_everything" },
      /HELPCRUNCH_TOOLS names unknown tools \(delete_everything\)/,
    ],
  ])("%j → exit 2 with one clear line", async (env, message) => {
    const run = await runServer(env as Record<string, string>);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });

  it("names the variable, never its value", async () => {
    const secret = "sk-live-do-not-print-9f8e7d";
    const run = await runServer({ HELPCRUNCH_API_KEY: secret, HELPCRUNCH_MAX_RETRIES: secret });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/HELPCRUNCH_MAX_RETRIES/);
    expect(run.stderr).not.toContain(secret);
  });

  it("--help and --version print to stdout and exit 0", async () => {
    const help = await runServer({}, ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: helpcrunch-mcp/);
    const version = await runServer({}, ["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("exits cleanly when stdin closes", async () => {
    const run = await runServer({ HELPCRUNCH_API_KEY: "k", HELPCRUNCH_LOG_LEVEL: "silent" });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
  });
});
