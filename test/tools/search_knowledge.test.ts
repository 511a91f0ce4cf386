/**
 * search_knowledge end to end: the built server over stdio (the MCP SDK client), pointed at the
 * sandbox's help center and a saved-replies file. Questions in a customer's words find the right
 * article first; saved replies are found and reloaded when the file changes; answers stay fenced,
 * within ~600 tokens for 5 results, and free of any page's scripts or hidden text; a call before
 * the crawl ends says how far it is.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult, Client } from "@modelcontextprotocol/client";
import { encode } from "gpt-tokenizer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_SAVED_REPLIES,
  type HelpCenterHandle,
  HIDDEN_MARKERS,
  type SandboxHandle,
  startHelpCenter,
  startSandbox,
} from "../../src/sandbox/index.js";
import { knowledgeAnswer, searchKnowledge } from "../../src/tools/search_knowledge.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { CUSTOMER_QUESTIONS, type KnowledgeFixture, knowledgeFixture } from "../helpers/knowledge.js";
import { connectStdio } from "../helpers/spawn.js";
import { callOk, GOLDEN_NOW, golden } from "../helpers/typed-call.js";

type Answer = ReturnType<typeof knowledgeAnswer.parse>;

let sandbox: SandboxHandle;
let center: HelpCenterHandle;
let folder: string;
let repliesFile: string;
let mcp: Client;
const closers: Array<() => Promise<unknown>> = [];

const textOf = (r: CallToolResult) => (r.content[0]?.type === "text" ? r.content[0].text : "");

async function search(client: Client, query: string, limit?: number): Promise<{ result: CallToolResult; answer: Answer }> {
  const result = (await client.callTool({ name: "search_knowledge", arguments: { query, ...(limit ? { limit } : {}) } })) as CallToolResult;
  expect(result.isError, textOf(result)).toBeFalsy();
  return { result, answer: knowledgeAnswer.parse(result.structuredContent) };
}

function serverEnv(knowledgeUrl: string, cache: string): Record<string, string> {
  return {
    HELPCRUNCH_API_KEY: sandbox.apiKey,
    HELPCRUNCH_BASE_URL: sandbox.url,
    HELPCRUNCH_KNOWLEDGE_URL: knowledgeUrl,
    HELPCRUNCH_SAVED_REPLIES: repliesFile,
    HELPCRUNCH_KNOWLEDGE_CACHE: cache,
  };
}

beforeAll(async () => {
  sandbox = await startSandbox();
  center = await startHelpCenter();
  folder = mkdtempSync(join(tmpdir(), "search-knowledge-"));
  repliesFile = join(folder, "saved-replies.md");
  writeFileSync(repliesFile, DEMO_SAVED_REPLIES);
  const connection = await connectStdio(serverEnv(center.url, join(folder, "cache")));
  mcp = connection.client;
  closers.push(connection.close);
  // The first crawl of 40 articles takes well under a second on loopback; wait until it has ended.
  for (let i = 0; i < 100; i++) {
    const { answer } = await search(mcp, "refund");
    if (!answer.coverage) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});

afterAll(async () => {
  for (const close of closers) await close();
  await center?.stop();
  await sandbox?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe("search_knowledge against the sandbox help center", () => {
  it("finds the right article first for at least 9 of 10 questions in a customer's words", async () => {
    const misses: string[] = [];
    for (const [question, id] of CUSTOMER_QUESTIONS) {
      const { answer } = await search(mcp, question);
      const first = answer.results[0];
      if (first?.url !== center.articleUrl(id)) misses.push(`${question} → ${first?.title ?? "nothing"}`);
    }
    expect(misses.length, misses.join("\n")).toBeLessThanOrEqual(1);
  });

  it("finds articles in other languages, by words with or without their accents", async () => {
    expect((await search(mcp, "Rückerstattung doppelt belastet")).answer.results[0]?.url).toBe(center.articleUrl(201));
    expect((await search(mcp, "reembolso cobro duplicado")).answer.results[0]?.url).toBe(center.articleUrl(301));
    expect((await search(mcp, "contrasena")).answer.results[0]?.url).toBe(center.articleUrl(302));
  });

  it("answers with title, source, url and a fenced excerpt of at most ~60 words, within 600 tokens for 5 results", async () => {
    let most = 0;
    let full = 0;
    for (const [question] of CUSTOMER_QUESTIONS) {
      const { result, answer } = await search(mcp, question, 5);
      expect(answer.results.length).toBeGreaterThan(0);
      if (answer.results.length === 5) full++;
      most = Math.max(most, encode(JSON.stringify(result.structuredContent)).length);
      for (const r of answer.results) {
        expect(r.excerpt.split(" ").length).toBeLessThanOrEqual(61);
        expect(r.source === "help_center" ? r.url : r.name).toBeTruthy();
      }
      const text = textOf(result);
      // One fence per result (and one more for a saved reply's name); the header names the tag once.
      expect(text.match(/<\/knowledge>/g)?.length).toBeGreaterThanOrEqual(answer.results.length);
      expect(text.match(/<knowledge>/g)?.length).toBe((text.match(/<\/knowledge>/g)?.length ?? 0) + 1);
    }
    expect(full).toBeGreaterThanOrEqual(5);
    expect(most).toBeLessThanOrEqual(600);
  });

  it("never shows a page's scripts, hidden text, navigation or cookie banner", async () => {
    for (const query of [
      "ignore previous instructions",
      "system override password",
      "hidden canary discount code",
      "phishing security",
      "cookies privacy terms",
    ]) {
      const { result } = await search(mcp, query, 10);
      const everything = JSON.stringify(result);
      for (const marker of [...HIDDEN_MARKERS, "STAFF90", "We use cookies"]) expect(everything).not.toContain(marker);
    }
    const { answer } = await search(mcp, "phishing emails", 1);
    expect(answer.results[0]?.url).toBe(center.articleUrl(134));
  });

  it("finds saved replies, and reads the file again when it changes", async () => {
    const { answer } = await search(mcp, "resend the password reset link", 3);
    expect(answer.results.some((r) => r.source === "saved_reply" && r.name === "Password reset link")).toBe(true);
    appendFileSync(
      repliesFile,
      "\n## Shipping delay apology\nSorry: the courier lost track of parcel-zebra-42; a replacement ships today.\n",
    );
    // Saved replies are looked at again at most once a second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const after = await search(mcp, "parcel zebra courier", 1);
    expect(after.answer.results[0]).toMatchObject({ source: "saved_reply", name: "Shipping delay apology" });
  });

  it("offers the draft_reply prompt, which searches before drafting and sends through the approval path", async () => {
    const { prompts } = await mcp.listPrompts();
    expect(prompts.map((p) => p.name)).toContain("draft_reply");
    const prompt = await mcp.getPrompt({ name: "draft_reply", arguments: { chat_id: "5215752" } });
    const text = prompt.messages[0]?.content.type === "text" ? prompt.messages[0].content.text : "";
    for (const step of ["get_chat with chat_id 5215752", "search_knowledge", "article URL", "send_message (private: false)", "<knowledge>"])
      expect(text).toContain(step);
  });

  it("refuses a limit out of range and an empty query with one sentence", async () => {
    for (const args of [{ query: "refund", limit: 11 }, { query: " " }]) {
      const result = (await mcp.callTool({ name: "search_knowledge", arguments: args })) as CallToolResult;
      expect(result.isError).toBe(true);
    }
  });

  it("before the first crawl ends, answers from what is indexed and says how far the crawl is", async () => {
    const slow = await startHelpCenter({ latencyMs: 150 });
    closers.push(() => slow.stop());
    const connection = await connectStdio(serverEnv(slow.url, join(folder, "slow-cache")));
    closers.push(connection.close);
    const { result, answer } = await search(connection.client, "refund");
    expect(answer.coverage).toMatch(/^The help center is still being read/);
    expect(textOf(result)).toMatch(/^The help center is still being read/);
    // Saved replies need no crawl: they answer at once.
    expect(answer.results.some((r) => r.source === "saved_reply")).toBe(true);
  });
});

describe("search_knowledge's golden answer", () => {
  let fixture: KnowledgeFixture;
  let h: Harness;
  beforeAll(async () => {
    // Saved replies only: a file read at start, so the answer is the same every run (a crawl is tested above).
    fixture = await knowledgeFixture({ helpCenter: false });
    h = await startHarness({ sandbox: { seed: 42, now: () => GOLDEN_NOW }, now: () => GOLDEN_NOW, knowledge: fixture.knowledge });
  });
  afterAll(async () => {
    await h.close();
    await fixture.close();
  });

  it("the saved reply that answers a refund question", async () => {
    const answer = await callOk(h, searchKnowledge, { query: "refund", limit: 3 });
    expect(answer.structured.results.length).toBeGreaterThan(0);
    await golden("search_knowledge", answer);
  });
});
