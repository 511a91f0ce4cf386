/** Configuration parsing (`=false`/`=no` were once read as true, and `--read-only` as nothing). */
import { describe, expect, it } from "vitest";
import { type Config, ConfigError, parseConfig } from "../src/config.js";

const config = (env: Record<string, string>, argv: string[] = []): Config => {
  const parsed = parseConfig(argv, { HELPCRUNCH_API_KEY: "k", ...env });
  if (parsed.kind !== "run") throw new Error(`expected a run config, got ${parsed.kind}`);
  return parsed.config;
};

describe("booleans", () => {
  it.each([
    ["true", true],
    ["1", true],
    ["yes", true],
    ["false", false],
    ["0", false],
    ["no", false],
  ])("HELPCRUNCH_ALLOW_CUSTOMER_MESSAGES=%s → %s (its old name for on/off), and the same for HELPCRUNCH_READ_ONLY", (value, expected) => {
    expect(config({ HELPCRUNCH_ALLOW_CUSTOMER_MESSAGES: value }).customerMessages).toBe(expected ? "on" : "off");
    expect(config({ HELPCRUNCH_READ_ONLY: value }).readOnly).toBe(expected);
  });

  it("refuses anything else, naming the variable", () => {
    expect(() => config({ HELPCRUNCH_ALLOW_CUSTOMER_MESSAGES: "maybe" })).toThrow(ConfigError);
    expect(() => config({ HELPCRUNCH_ALLOW_CUSTOMER_MESSAGES: "maybe" })).toThrow(/^HELPCRUNCH_ALLOW_CUSTOMER_MESSAGES /);
  });

  it("unset means the safe default", () => {
    expect(config({})).toMatchObject({
      customerMessages: "confirm",
      confirmBulk: 10,
      readOnly: false,
      callTimeoutMs: 45_000,
      statusFilter: "auto",
    });
  });

  it("HELPCRUNCH_CUSTOMER_MESSAGES takes off, confirm or on; a contradicting old name is refused", () => {
    expect(config({ HELPCRUNCH_CUSTOMER_MESSAGES: "on" }).customerMessages).toBe("on");
    expect(config({ HELPCRUNCH_CUSTOMER_MESSAGES: "off", HELPCRUNCH_ALLOW_CUSTOMER_MESSAGES: "false" }).customerMessages).toBe("off");
    expect(() => config({ HELPCRUNCH_CUSTOMER_MESSAGES: "confirm", HELPCRUNCH_ALLOW_CUSTOMER_MESSAGES: "true" })).toThrow(
      /contradicts HELPCRUNCH_ALLOW_CUSTOMER_MESSAGES/,
    );
    expect(() => config({ HELPCRUNCH_CUSTOMER_MESSAGES: "always" })).toThrow(/must be off, confirm or on/);
    expect(config({ HELPCRUNCH_CONFIRM_BULK: "0" }).confirmBulk).toBe(0);
  });
});

describe("HELPCRUNCH_READ_BUDGET", () => {
  it("defaults to half the per-minute limit: 60 requests per read for a 120/min key", () => {
    expect(config({}).readBudget).toBe(60);
    expect(config({ HELPCRUNCH_RATE_LIMIT_PER_MINUTE: "40" }).readBudget).toBe(20);
    expect(config({ HELPCRUNCH_RATE_LIMIT_PER_MINUTE: "1" }).readBudget).toBe(1);
  });

  it("takes a positive whole number, and refuses anything else naming the variable", () => {
    expect(config({ HELPCRUNCH_READ_BUDGET: "100" }).readBudget).toBe(100);
    expect(() => config({ HELPCRUNCH_READ_BUDGET: "0" })).toThrow(/^HELPCRUNCH_READ_BUDGET /);
    expect(() => config({ HELPCRUNCH_READ_BUDGET: "lots" })).toThrow(/^HELPCRUNCH_READ_BUDGET must be a positive integer/);
  });
});

describe("HELPCRUNCH_REDACT", () => {
  it("is off by default, takes off, contact or all, and refuses anything else naming the variable", () => {
    expect(config({}).redact).toBe("off");
    expect(config({ HELPCRUNCH_REDACT: "all" }).redact).toBe("all");
    expect(() => config({ HELPCRUNCH_REDACT: "names" })).toThrow(/^HELPCRUNCH_REDACT must be off, contact or all/);
  });
});

describe("knowledge sources", () => {
  it("are absent unless HELPCRUNCH_KNOWLEDGE_URL or HELPCRUNCH_SAVED_REPLIES is set; the cache defaults under ~/.cache", () => {
    expect(config({}).knowledge).toBeUndefined();
    const knowledge = config({ HELPCRUNCH_KNOWLEDGE_URL: "https://help.example.com/en/" }).knowledge;
    expect(knowledge).toMatchObject({
      url: "https://help.example.com/en/",
      cacheDir: expect.stringMatching(/\.cache\/helpcrunch-mcp\/knowledge$/),
    });
    expect(config({ HELPCRUNCH_SAVED_REPLIES: "package.json", HELPCRUNCH_KNOWLEDGE_CACHE: "/tmp/k" }).knowledge).toEqual({
      savedReplies: expect.stringMatching(/\/package\.json$/),
      cacheDir: "/tmp/k",
    });
  });

  it("refuse a URL that is not http(s) and a saved-replies path that does not exist, naming the variable", () => {
    expect(() => config({ HELPCRUNCH_KNOWLEDGE_URL: "ftp://help.example.com/" })).toThrow(
      /^HELPCRUNCH_KNOWLEDGE_URL must be the http\(s\) URL/,
    );
    expect(() => config({ HELPCRUNCH_SAVED_REPLIES: "/nonexistent/replies.md" })).toThrow(
      /^HELPCRUNCH_SAVED_REPLIES names no file or folder that exists/,
    );
  });
});

describe("HELPCRUNCH_RATE_LIMIT_WINDOW_SECONDS", () => {
  it("is HelpCrunch's minute by default, takes 1–3600 seconds, and refuses anything else naming the variable", () => {
    expect(config({}).rateLimitWindowMs).toBe(60_000);
    expect(config({ HELPCRUNCH_RATE_LIMIT_WINDOW_SECONDS: "6" }).rateLimitWindowMs).toBe(6_000);
    expect(() => config({ HELPCRUNCH_RATE_LIMIT_WINDOW_SECONDS: "0" })).toThrow(/^HELPCRUNCH_RATE_LIMIT_WINDOW_SECONDS /);
    expect(() => config({ HELPCRUNCH_RATE_LIMIT_WINDOW_SECONDS: "3601" })).toThrow(
      /^HELPCRUNCH_RATE_LIMIT_WINDOW_SECONDS must be at most 3600/,
    );
  });
});

describe("flags", () => {
  it("--read-only turns read-only on, whatever the environment says", () => {
    expect(config({}, ["--read-only"]).readOnly).toBe(true);
    expect(config({ HELPCRUNCH_READ_ONLY: "false" }, ["--read-only"]).readOnly).toBe(true);
  });

  it("--demo needs no key; unknown flags are refused", () => {
    expect(parseConfig(["--demo"], {})).toMatchObject({ kind: "run", config: { demo: true } });
    expect(() => parseConfig(["--readonly"], { HELPCRUNCH_API_KEY: "k" })).toThrow(/unknown argument --readonly/);
  });

  it("SLA targets become minutes; business hours need a target", () => {
    expect(config({ HELPCRUNCH_SLA_FIRST_REPLY: "15m", HELPCRUNCH_SLA_NEXT_REPLY: "1h30m" }).sla).toMatchObject({
      firstReply: 15,
      nextReply: 90,
    });
    expect(() => config({ HELPCRUNCH_BUSINESS_HOURS: "Mon-Fri 09:00-18:00" })).toThrow(/needs HELPCRUNCH_SLA_FIRST_REPLY/);
  });
});

describe("OAuth settings", () => {
  const oauth = { MCP_OAUTH_ISSUER: "https://login.example.com/", MCP_OAUTH_AUDIENCE: "https://mcp.example.com/mcp" };
  it("go with --http, and allow a non-loopback host without a static token", () => {
    expect(config(oauth, ["--http", "--host", "0.0.0.0"]).http?.oauth).toEqual({
      issuer: oauth.MCP_OAUTH_ISSUER,
      audience: oauth.MCP_OAUTH_AUDIENCE,
      requiredScopes: [],
    });
  });

  it("refuse an ambiguous or half-set configuration in one line", () => {
    expect(() => config({ ...oauth, MCP_HTTP_TOKEN: "0123456789abcdef0123" }, ["--http"])).toThrow(
      /MCP_HTTP_TOKEN and MCP_OAUTH_ISSUER are both set/,
    );
    expect(() => config({ MCP_OAUTH_ISSUER: oauth.MCP_OAUTH_ISSUER }, ["--http"])).toThrow(/go together/);
    expect(() => config({ MCP_OAUTH_REQUIRED_SCOPES: "a" }, ["--http"])).toThrow(/needs MCP_OAUTH_ISSUER/);
  });
});
