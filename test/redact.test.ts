/**
 * One redaction for everything printed: registered secrets, and the credentials of any URL, in log
 * lines, errors a model sees and the audit trail.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/log.js";
import { redact } from "../src/redact.js";
import { errorResult } from "../src/runtime/error-results.js";
import { AuditTrail } from "../src/services/audit.js";

/** Characters a URL's userinfo may hold (RFC 3986: unreserved, sub-delims, ":" and percent-escapes), and a raw "@". */
const userinfoChar = fc.constantFrom(..."abcXYZ019-._~!$&'()*+,;=:%@");
const password = fc.string({ unit: userinfoChar, minLength: 1, maxLength: 24 });
const user = fc.string({ unit: fc.constantFrom(..."abcdefXYZ0189-._~"), maxLength: 12 });
const scheme = fc.constantFrom("http", "https", "redis", "rediss", "postgres", "git+ssh");
const host = fc.oneof(fc.domain(), fc.ipV4(), fc.constant("[::1]"));
const port = fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined });
const rest = fc.constantFrom("", "/", "/v1", "/v1/chats?limit=10", "#frag", "?q=a@b");
/** Text around the URL as logs and errors have it: prose, JSON, quotes. */
const around = fc.constantFrom("", "failed: ", '{"url":"', "(", "at ", "connect to ", "\n");

describe("redact", () => {
  it("never lets a URL's password through, whatever the URL and the text around it", () => {
    fc.assert(
      fc.property(around, scheme, user, password, host, port, rest, around, (before, s, u, p, h, n, r, after) => {
        const url = `${s}://${u}:${p}@${h}${n === undefined ? "" : `:${n}`}${r}`;
        const text = `${before}${url}${after} and again ${url}`;
        // A password that also occurs in the rest of the text (or in "[redacted]@") cannot be told apart from it.
        fc.pre(!text.replaceAll(`${u}:${p}@`, "[redacted]@").includes(p));
        const out = redact(text);
        expect(out).not.toContain(p);
        expect(out).toContain(`${s}://[redacted]@`);
      }),
      { numRuns: 2_000 },
    );
  });

  it("leaves URLs without credentials and e-mail addresses alone", () => {
    const text = "GET https://api.helpcrunch.com/v1/chats?limit=5 for mike@example.com (redis://localhost:6379)";
    expect(redact(text)).toBe(text);
  });

  it("replaces registered secrets of 4 characters or more, and nothing shorter", () => {
    expect(redact("key hc-1234 and abc", ["hc-1234", "abc"])).toBe("key [redacted] and abc");
  });
});

describe("everything printed passes through it", () => {
  const url = "https://ops:s3cr3t-PASS@api.example.com/v1";

  it("the logger: message and fields", () => {
    const lines: string[] = [];
    const log = createLogger("debug", ["hc-key-1234"], (line) => lines.push(line));
    log.warn(`could not reach ${url} with hc-key-1234`, { redis: "rediss://default:s3cr3t-PASS@cache:6380" });
    expect(lines.join("")).not.toContain("s3cr3t-PASS");
    expect(lines.join("")).not.toContain("hc-key-1234");
    expect(lines.join("")).toContain("https://[redacted]@api.example.com/v1");
  });

  it("an error result a model sees", () => {
    const result = errorResult(`HelpCrunch at ${url} did not answer.`);
    expect(JSON.stringify(result)).not.toContain("s3cr3t-PASS");
  });

  it("the audit trail, in its file and in the log", () => {
    const file = join(mkdtempSync(join(tmpdir(), "audit-")), "audit.jsonl");
    const lines: string[] = [];
    const log = createLogger("info", [], (line) => lines.push(line));
    const entry = {
      tool: "send_message",
      chat_id: 5,
      request: { method: "POST" as const, path: "/messages", body: { chat: 5, text: `log in at ${url}` } },
      outcome: "ok" as const,
    };
    new AuditTrail(log, Date.now, file).record(entry);
    new AuditTrail(log, Date.now).record(entry);
    expect(readFileSync(file, "utf8")).not.toContain("s3cr3t-PASS");
    expect(readFileSync(file, "utf8")).toContain("https://[redacted]@api.example.com/v1");
    expect(lines.join("")).not.toContain("s3cr3t-PASS");
  });
});
