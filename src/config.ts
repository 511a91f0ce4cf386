/**
 * Configuration: environment variables and flags, parsed once with zod at start-up.
 * Nothing else reads process.env. Errors name the variable, never its value (it may be the key).
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import { type BusinessHours, isValidTimeZone, parseBusinessHours } from "./domain/business-hours.js";
import { REDACT_MODES, type RedactMode } from "./domain/redact-modes.js";
import { MAX_SPAN_MS, parseDurationMs } from "./domain/time-spec.js";
import type { ClientOptions, StatusFilterSetting } from "./helpcrunch/index.js";
import { LOG_LEVELS } from "./log.js";

export const CUSTOMER_MESSAGE_POLICIES = ["off", "confirm", "on"] as const;
export type CustomerMessagePolicy = (typeof CUSTOMER_MESSAGE_POLICIES)[number];

const bool = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");
const list = z
  .string()
  .transform((v) =>
    v
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean),
  )
  .optional();
/** "15m", "1h", "2h30m" → minutes. */
const duration = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const ms = parseDurationMs(v);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: "custom", message: 'must be a duration such as "15m", "1h" or "2h30m"' });
      return z.NEVER;
    }
    if (ms > MAX_SPAN_MS) {
      ctx.addIssue({ code: "custom", message: "must be a duration of at most 10 years" });
      return z.NEVER;
    }
    return ms / 60_000;
  });
const positiveInt = z.string().regex(/^\d+$/, "must be a positive integer").transform(Number).pipe(z.number().int().positive());

const envSchema = z.object({
  HELPCRUNCH_API_KEY: z.string().trim().min(1, "must not be empty").optional(),
  HELPCRUNCH_BASE_URL: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL like https://api.helpcrunch.com/v1" })
    .default("https://api.helpcrunch.com/v1"),
  HELPCRUNCH_READ_ONLY: bool.default(false),
  HELPCRUNCH_TOOLS: list,
  HELPCRUNCH_TIMEOUT_MS: positiveInt.default(15_000),
  // Below a typical client's 60 s request timeout, so the answer (even a partial one) arrives first.
  HELPCRUNCH_CALL_TIMEOUT_MS: positiveInt
    .pipe(z.number().min(1_000, "must be 1000–600000 (milliseconds)").max(600_000, "must be 1000–600000 (milliseconds)"))
    .default(45_000),
  HELPCRUNCH_MAX_RETRIES: z
    .string()
    .regex(/^\d+$/, "must be a whole number 0–10")
    .transform(Number)
    .pipe(z.number().max(10, "must be a whole number 0–10"))
    .default(3),
  HELPCRUNCH_RATE_LIMIT_PER_MINUTE: positiveInt.default(120),
  HELPCRUNCH_RATE_LIMIT_WINDOW_SECONDS: positiveInt.pipe(z.number().max(3600, "must be at most 3600 (seconds)")).default(60),
  HELPCRUNCH_READ_BUDGET: positiveInt.optional(),
  HELPCRUNCH_REDIS_URL: z
    .url({ protocol: /^rediss?$/, message: "must be a redis:// or rediss:// URL, e.g. redis://localhost:6379" })
    .optional(),
  HELPCRUNCH_ALLOW_CUSTOMER_MESSAGES: bool.optional(),
  HELPCRUNCH_CUSTOMER_MESSAGES: z.enum(CUSTOMER_MESSAGE_POLICIES, { message: "must be off, confirm or on" }).optional(),
  HELPCRUNCH_CONFIRM_BULK: z.string().regex(/^\d+$/, "must be a whole number (0 = never ask)").transform(Number).default(10),
  HELPCRUNCH_AUDIT_LOG: z.string().trim().min(1, "must be a file path").optional(),
  HELPCRUNCH_DEFAULT_AGENT: z.string().trim().min(1, "must be an agent id, email or name").optional(),
  HELPCRUNCH_STATUS_FILTER: z.enum(["auto", "name", "code"], { message: "must be auto, name or code" }).default("auto"),
  HELPCRUNCH_SLA_FIRST_REPLY: duration.optional(),
  HELPCRUNCH_SLA_NEXT_REPLY: duration.optional(),
  HELPCRUNCH_BUSINESS_HOURS: z.string().trim().min(1).optional(),
  HELPCRUNCH_TIMEZONE: z.string().trim().refine(isValidTimeZone, "must be an IANA time zone such as Europe/Berlin or UTC").optional(),
  HELPCRUNCH_REDACT: z.enum(REDACT_MODES, { message: "must be off, contact or all" }).default("off"),
  HELPCRUNCH_KNOWLEDGE_URL: z
    .url({
      protocol: /^https?$/,
      message: "must be the http(s) URL of your public help center, e.g. https://yourcompany.helpcrunch.help/en/",
    })
    .optional(),
  HELPCRUNCH_SAVED_REPLIES: z.string().trim().min(1, "must be a Markdown file or a folder of .md files").optional(),
  HELPCRUNCH_KNOWLEDGE_CACHE: z.string().trim().min(1, "must be a folder").optional(),
  HELPCRUNCH_LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  MCP_HTTP_TOKEN: z.string().trim().min(16, "must be at least 16 characters").optional(),
  MCP_HTTP_ALLOWED_ORIGINS: list,
  MCP_HTTP_ALLOWED_HOSTS: list,
  MCP_OAUTH_ISSUER: z
    .string()
    .trim()
    // An issuer is a URL (RFC 8414), so ASCII: tokens' iss is compared as a string, and the URL parser would silently drop or encode the rest.
    .regex(/^[\x21-\x7e]+$/, "must be the identity provider's issuer URL in printable ASCII, e.g. https://login.example.com/")
    .pipe(z.url({ protocol: /^https?$/, message: "must be the identity provider's issuer URL, e.g. https://login.example.com/" }))
    .optional(),
  MCP_OAUTH_AUDIENCE: z.string().trim().min(1, "must be this server's resource identifier").optional(),
  MCP_OAUTH_REQUIRED_SCOPES: list,
  MCP_STATE_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  HELPCRUNCH_AGENT_FROM_TOKEN: bool.default(false),
  HELPCRUNCH_CHANNEL: bool.default(false),
  HELPCRUNCH_WEBHOOK_SECRET: z.string().trim().min(8, "must be the account's HTTP Webhook Signing Key (at least 8 characters)").optional(),
  // One poll is one request while fewer than 100 chats changed: every 10 s is 6 a minute, 5% of the default 120.
  HELPCRUNCH_POLL_SECONDS: positiveInt
    .pipe(z.number().min(10, "must be 10–3600 (seconds)").max(3600, "must be 10–3600 (seconds)"))
    .optional(),
  // Webhooks silent this long while HelpCrunch shows changes the mirror never heard of: the live queue is stale.
  HELPCRUNCH_WEBHOOK_SILENCE_SECONDS: positiveInt
    .pipe(z.number().min(60, "must be 60–86400 (seconds)").max(86_400, "must be 60–86400 (seconds)"))
    .optional(),
  // Seed pages, and the reads webhooks and polls need, take at most this share of the key's limit: the rest is the tools'.
  HELPCRUNCH_SEED_SHARE: z
    .string()
    .trim()
    .regex(/^(0?\.\d+|1(\.0+)?)$/, "must be a fraction of the per-minute limit, 0.05–0.5 (e.g. 0.25)")
    .transform(Number)
    .pipe(
      z
        .number()
        .min(0.05, "must be 0.05–0.5 (a fraction of the per-minute limit)")
        .max(0.5, "must be 0.05–0.5 (a fraction of the per-minute limit)"),
    )
    .default(0.25),
});

const BOOLEAN_FLAGS = ["--demo", "--read-only", "--help", "--version", "--http"] as const;
const VALUE_FLAGS = ["--port", "--host"] as const;

/** HELPCRUNCH_CUSTOMER_MESSAGES, or its old name HELPCRUNCH_ALLOW_CUSTOMER_MESSAGES (true = on, false = off). */
function customerMessagePolicy(e: z.output<typeof envSchema>): CustomerMessagePolicy {
  const old = e.HELPCRUNCH_ALLOW_CUSTOMER_MESSAGES;
  const oldPolicy = old === undefined ? undefined : old ? "on" : "off";
  if (e.HELPCRUNCH_CUSTOMER_MESSAGES && oldPolicy && oldPolicy !== e.HELPCRUNCH_CUSTOMER_MESSAGES) {
    throw new ConfigError(
      `HELPCRUNCH_CUSTOMER_MESSAGES=${e.HELPCRUNCH_CUSTOMER_MESSAGES} contradicts HELPCRUNCH_ALLOW_CUSTOMER_MESSAGES (its old name); set only HELPCRUNCH_CUSTOMER_MESSAGES`,
    );
  }
  return e.HELPCRUNCH_CUSTOMER_MESSAGES ?? oldPolicy ?? "confirm";
}

function slaConfig(e: z.output<typeof envSchema>): Config["sla"] {
  let businessHours: BusinessHours | undefined;
  try {
    businessHours = e.HELPCRUNCH_BUSINESS_HOURS ? parseBusinessHours(e.HELPCRUNCH_BUSINESS_HOURS) : undefined;
  } catch (error) {
    throw new ConfigError(
      `HELPCRUNCH_BUSINESS_HOURS ${error instanceof Error ? error.message.replace(/^./, (c) => c.toLowerCase()) : "is invalid"}`,
    );
  }
  if (e.HELPCRUNCH_SLA_FIRST_REPLY === undefined && e.HELPCRUNCH_SLA_NEXT_REPLY === undefined) {
    if (businessHours)
      throw new ConfigError(
        "HELPCRUNCH_BUSINESS_HOURS needs HELPCRUNCH_SLA_FIRST_REPLY or HELPCRUNCH_SLA_NEXT_REPLY (the hours only count SLA time)",
      );
    return undefined;
  }
  return { firstReply: e.HELPCRUNCH_SLA_FIRST_REPLY, nextReply: e.HELPCRUNCH_SLA_NEXT_REPLY, businessHours };
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export interface OAuthConfig {
  /** The identity provider's issuer URL: its discovery document names the JWKS. */
  issuer: string;
  /** This server's resource identifier, expected in the token's `aud`. */
  audience: string;
  /** Scopes every request's token must carry. */
  requiredScopes: string[];
}

export interface KnowledgeConfig {
  /** The public help center's root (HELPCRUNCH_KNOWLEDGE_URL). */
  url?: string;
  /** Saved replies: a Markdown file or a folder of .md files (HELPCRUNCH_SAVED_REPLIES), absolute. */
  savedReplies?: string;
  /** Where crawled pages are kept without Redis (HELPCRUNCH_KNOWLEDGE_CACHE). */
  cacheDir: string;
}

/** HELPCRUNCH_KNOWLEDGE_URL and HELPCRUNCH_SAVED_REPLIES; a saved-replies path that does not exist stops start-up. */
function knowledgeConfig(e: z.output<typeof envSchema>): KnowledgeConfig | undefined {
  if (!e.HELPCRUNCH_KNOWLEDGE_URL && !e.HELPCRUNCH_SAVED_REPLIES) return undefined;
  const savedReplies = e.HELPCRUNCH_SAVED_REPLIES ? resolve(e.HELPCRUNCH_SAVED_REPLIES) : undefined;
  if (savedReplies && !existsSync(savedReplies))
    throw new ConfigError(
      "HELPCRUNCH_SAVED_REPLIES names no file or folder that exists: give a Markdown file (## Name per reply) or a folder of .md files",
    );
  return {
    ...(e.HELPCRUNCH_KNOWLEDGE_URL ? { url: e.HELPCRUNCH_KNOWLEDGE_URL } : {}),
    ...(savedReplies ? { savedReplies } : {}),
    cacheDir: e.HELPCRUNCH_KNOWLEDGE_CACHE
      ? resolve(e.HELPCRUNCH_KNOWLEDGE_CACHE)
      : join(homedir(), ".cache", "helpcrunch-mcp", "knowledge"),
  };
}

export interface HttpConfig {
  port: number;
  host: string;
  /** Bearer token every request must carry; required to bind a non-loopback host (or OAuth). */
  token?: string;
  /** Tokens from the company's identity provider instead of a static one. */
  oauth?: OAuthConfig;
  allowedOrigins: string[];
  allowedHosts: string[];
}

export interface Config {
  apiKey: string;
  baseUrl: string;
  readOnly: boolean;
  tools?: string[];
  timeoutMs: number;
  /** Deadline for one tool call, everything included; see README "Reliability". */
  callTimeoutMs: number;
  maxRetries: number;
  rateLimitPerMinute: number;
  /** The rolling window the limit counts in: HelpCrunch's minute; shorter only to test the limiter quickly. */
  rateLimitWindowMs: number;
  /** HelpCrunch requests one read tool call may make (half the per-minute limit by default); see README "Reliability". */
  readBudget: number;
  /** Shared state (rate-limit window, reply guard, name cache) for every process using the key; in-process when unset. */
  redisUrl?: string;
  /**
   * Customer-visible messages: never (off), after a person approves each one through the MCP client
   * (confirm, the default), or without asking (on).
   */
  customerMessages: CustomerMessagePolicy;
  /** Bulk writes touching at least this many chats ask a person first when the client can; 0 = never. */
  confirmBulk: number;
  auditLog?: string;
  defaultAgent?: string;
  statusFilter: StatusFilterSetting;
  /** IANA zone for days and business hours; UTC when unset. */
  timeZone?: string;
  /** With OAuth: a token whose email is an agent's writes messages as that agent by default. */
  agentFromToken: boolean;
  /**
   * Seals the state a 2026-07-28 confirmation form carries between its two requests; every replica
   * needs the same one. Unset: a random key per process.
   */
  stateSecret?: string;
  /** SLA targets in minutes, counted in business hours when set; absent = no SLA clocks. */
  sla?: { firstReply?: number; nextReply?: number; businessHours?: BusinessHours };
  logLevel: (typeof LOG_LEVELS)[number];
  /** stdio: new customer messages become Claude Code channel events (research preview of that client). */
  channel?: boolean;
  /** The account's webhook signing key: POST /webhooks/helpcrunch (with --http) keeps the live queue fresh. */
  webhookSecret?: string;
  /** After this long without a webhook event, one background query checks that webhooks still arrive (default 600). */
  webhookSilenceSeconds?: number;
  /** Incremental polling for the live queue, every this many seconds; unset = off (stdio turns it on when a client subscribes). */
  pollSeconds?: number;
  /** search_knowledge's sources; absent when neither is configured (the tool is then not offered). */
  knowledge?: KnowledgeConfig;
  /** The live queue's background reads (seed pages, webhook and poll reads): at most this share of the per-minute limit. */
  seedShare?: number;
  /** Privacy mode: outputs show pseudonyms for contacts (`contact`) and also names and custom data (`all`). */
  redact?: RedactMode;
  demo: boolean;
  /** Set with --http: serve Streamable HTTP instead of stdio. */
  http?: HttpConfig;
}

/** The client settings that come from configuration (tests and the demo add their own on top). */
export function clientOptions(config: Config, log?: { warn(message: string): void; info(message: string): void }): ClientOptions {
  return {
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    rateLimitPerMinute: config.rateLimitPerMinute,
    rateLimitWindowMs: config.rateLimitWindowMs,
    statusFilter: config.statusFilter,
    onWarning: log ? (message) => log.warn(message) : undefined,
    onInfo: log ? (message) => log.info(message) : undefined,
  };
}

export type ParsedArgs = { kind: "run"; config: Config } | { kind: "help" } | { kind: "version" };

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses flags and environment. Throws ConfigError with one line naming what is wrong. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): ParsedArgs {
  const { flags, values } = splitArgs(argv);
  if (flags.has("--help")) return { kind: "help" };
  if (flags.has("--version")) return { kind: "version" };

  // Empty variables count as unset, as a shell user expects from `HELPCRUNCH_TOOLS= npx …`.
  const present = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((k) => (env[k] !== undefined && env[k] !== "" ? [[k, env[k]]] : [])),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${String(issue?.path[0] ?? "configuration")} ${issue?.message ?? "is invalid"}`);
  }
  const e = parsed.data;
  const demo = flags.has("--demo");
  if (!demo && !e.HELPCRUNCH_API_KEY) {
    throw new ConfigError("HELPCRUNCH_API_KEY is required (HelpCrunch → Settings → Developers → Public API), or run with --demo");
  }
  return {
    kind: "run",
    config: {
      apiKey: e.HELPCRUNCH_API_KEY ?? "",
      baseUrl: e.HELPCRUNCH_BASE_URL.replace(/\/+$/, ""),
      readOnly: e.HELPCRUNCH_READ_ONLY || flags.has("--read-only"),
      tools: e.HELPCRUNCH_TOOLS,
      timeoutMs: e.HELPCRUNCH_TIMEOUT_MS,
      callTimeoutMs: e.HELPCRUNCH_CALL_TIMEOUT_MS,
      maxRetries: e.HELPCRUNCH_MAX_RETRIES,
      rateLimitPerMinute: e.HELPCRUNCH_RATE_LIMIT_PER_MINUTE,
      rateLimitWindowMs: e.HELPCRUNCH_RATE_LIMIT_WINDOW_SECONDS * 1000,
      // Half the key's minute, so one read never leaves the next call nothing.
      readBudget: e.HELPCRUNCH_READ_BUDGET ?? Math.max(1, Math.floor(e.HELPCRUNCH_RATE_LIMIT_PER_MINUTE / 2)),
      redisUrl: e.HELPCRUNCH_REDIS_URL,
      customerMessages: customerMessagePolicy(e),
      confirmBulk: e.HELPCRUNCH_CONFIRM_BULK,
      auditLog: e.HELPCRUNCH_AUDIT_LOG,
      defaultAgent: e.HELPCRUNCH_DEFAULT_AGENT,
      statusFilter: e.HELPCRUNCH_STATUS_FILTER,
      timeZone: e.HELPCRUNCH_TIMEZONE,
      agentFromToken: e.HELPCRUNCH_AGENT_FROM_TOKEN,
      stateSecret: e.MCP_STATE_SECRET,
      sla: slaConfig(e),
      logLevel: e.HELPCRUNCH_LOG_LEVEL,
      redact: e.HELPCRUNCH_REDACT,
      channel: e.HELPCRUNCH_CHANNEL,
      webhookSecret: e.HELPCRUNCH_WEBHOOK_SECRET,
      pollSeconds: e.HELPCRUNCH_POLL_SECONDS,
      webhookSilenceSeconds: e.HELPCRUNCH_WEBHOOK_SILENCE_SECONDS,
      knowledge: knowledgeConfig(e),
      seedShare: e.HELPCRUNCH_SEED_SHARE,
      demo,
      http: flags.has("--http") ? httpConfig(values, e) : undefined,
    },
  };
}

function splitArgs(argv: string[]): { flags: Set<string>; values: Map<string, string> } {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = (argv[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    if ((VALUE_FLAGS as readonly string[]).includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new ConfigError(`${name} needs a value; run with --help for usage`);
      values.set(name, value);
    } else if ((BOOLEAN_FLAGS as readonly string[]).includes(name) && inline === undefined) {
      flags.add(name);
    } else {
      throw new ConfigError(`unknown argument ${name.slice(0, 40)}; run with --help for usage`);
    }
  }
  if (values.size > 0 && !flags.has("--http")) throw new ConfigError("--port and --host only apply with --http");
  return { flags, values };
}

/** OAuth 2.1 resource server settings; mixing them with the static token is refused, not guessed at. */
function oauthConfig(e: z.output<typeof envSchema>): OAuthConfig | undefined {
  const { MCP_OAUTH_ISSUER: issuer, MCP_OAUTH_AUDIENCE: audience } = e;
  if (!issuer && !audience) {
    if (e.MCP_OAUTH_REQUIRED_SCOPES) throw new ConfigError("MCP_OAUTH_REQUIRED_SCOPES needs MCP_OAUTH_ISSUER and MCP_OAUTH_AUDIENCE");
    return undefined;
  }
  if (!issuer || !audience) throw new ConfigError("MCP_OAUTH_ISSUER and MCP_OAUTH_AUDIENCE go together: set both (or neither)");
  if (e.MCP_HTTP_TOKEN) {
    throw new ConfigError("MCP_HTTP_TOKEN and MCP_OAUTH_ISSUER are both set: choose one way to check bearer tokens (unset the other)");
  }
  return { issuer, audience, requiredScopes: e.MCP_OAUTH_REQUIRED_SCOPES ?? [] };
}

function httpConfig(values: Map<string, string>, e: z.output<typeof envSchema>): HttpConfig {
  const portText = values.get("--port") ?? "3000";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65_535) throw new ConfigError("--port must be a port number 1–65535");
  const host = values.get("--host") ?? "127.0.0.1";
  const oauth = oauthConfig(e);
  if (!LOOPBACK.has(host) && !e.MCP_HTTP_TOKEN && !oauth) {
    throw new ConfigError(
      `--host ${host.slice(0, 60)} is not loopback: set MCP_OAUTH_ISSUER and MCP_OAUTH_AUDIENCE, or MCP_HTTP_TOKEN, so every request must carry a bearer token`,
    );
  }
  const local = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  return {
    port,
    host,
    token: e.MCP_HTTP_TOKEN,
    oauth,
    allowedHosts: [...local, ...(LOOPBACK.has(host) ? [] : [`${host}:${port}`]), ...(e.MCP_HTTP_ALLOWED_HOSTS ?? [])].map((h) =>
      h.toLowerCase(),
    ),
    allowedOrigins: [...local.map((h) => `http://${h}`), ...(e.MCP_HTTP_ALLOWED_ORIGINS ?? [])],
  };
}

export const USAGE = `helpcrunch-mcp — MCP server for the HelpCrunch live-chat API (stdio)

Usage: helpcrunch-mcp [--demo] [--read-only] [--http [--port 3000] [--host 127.0.0.1]] [--help] [--version]
       helpcrunch-mcp doctor [--json] [--demo] [--timeout 30]   read-only check of your account: endpoints,
                      dialect, limits; each check printed as it ends, all of it within --timeout seconds

  --demo        serve a built-in HelpCrunch sandbox with demo data (no API key needed)
  --read-only   register read tools only (same as HELPCRUNCH_READ_ONLY=true)
  --http        serve stateless Streamable HTTP at http://HOST:PORT/mcp (GET /healthz for probes)
                instead of stdio; a non-loopback --host requires MCP_HTTP_TOKEN

Environment: HELPCRUNCH_API_KEY (required unless --demo), HELPCRUNCH_BASE_URL, HELPCRUNCH_READ_ONLY,
HELPCRUNCH_TOOLS, HELPCRUNCH_TIMEOUT_MS, HELPCRUNCH_CALL_TIMEOUT_MS, HELPCRUNCH_MAX_RETRIES, HELPCRUNCH_RATE_LIMIT_PER_MINUTE,
HELPCRUNCH_RATE_LIMIT_WINDOW_SECONDS (60: the limit counts per this window; shorter only for tests),
HELPCRUNCH_READ_BUDGET (requests per read call; default half the per-minute limit),
HELPCRUNCH_REDIS_URL (redis:// or rediss://: state shared by every process using the key),
HELPCRUNCH_CUSTOMER_MESSAGES (off|confirm|on), HELPCRUNCH_CONFIRM_BULK, HELPCRUNCH_AUDIT_LOG, HELPCRUNCH_DEFAULT_AGENT,
HELPCRUNCH_STATUS_FILTER (auto|name|code), HELPCRUNCH_TIMEZONE (IANA), HELPCRUNCH_SLA_FIRST_REPLY,
HELPCRUNCH_SLA_NEXT_REPLY (durations), HELPCRUNCH_BUSINESS_HOURS ("Mon-Fri 09:00-18:00"), HELPCRUNCH_LOG_LEVEL (debug|info|warn|error|silent),
HELPCRUNCH_POLL_SECONDS (10–3600: keep the live queue fresh by polling), HELPCRUNCH_SEED_SHARE (0.05–0.5: the live
queue's background reads' share of the per-minute limit, default 0.25), HELPCRUNCH_CHANNEL (true: new customer
messages and passed reply targets as Claude Code channel events, stdio),
HELPCRUNCH_KNOWLEDGE_URL (your public help center: search_knowledge), HELPCRUNCH_SAVED_REPLIES (a Markdown file or folder),
HELPCRUNCH_KNOWLEDGE_CACHE (where crawled pages are kept; default ~/.cache/helpcrunch-mcp/knowledge),
HELPCRUNCH_CODE_CACHE (where V8's compiled code is kept between starts; default ~/.cache/helpcrunch-mcp; off for none);
with --http: HELPCRUNCH_WEBHOOK_SECRET (HelpCrunch's webhook signing key: POST /webhooks/helpcrunch),
HELPCRUNCH_WEBHOOK_SILENCE_SECONDS (60–86400, default 600: after that long with no webhook event, one query checks they still come), MCP_HTTP_TOKEN, or MCP_OAUTH_ISSUER + MCP_OAUTH_AUDIENCE (+ MCP_OAUTH_REQUIRED_SCOPES,
HELPCRUNCH_AGENT_FROM_TOKEN), MCP_HTTP_ALLOWED_ORIGINS, MCP_HTTP_ALLOWED_HOSTS (comma-separated),
MCP_STATE_SECRET (32+ characters, shared by replicas: seals 2026-07-28 confirmation forms).
`;
