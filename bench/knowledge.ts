/**
 * The knowledge search's costs: a crawl of the sandbox help center (and of its hostile variant, the
 * 10,000-URL sitemap capped at 2,000 pages), the index built from 2,000 kept articles (time and
 * RSS), search_knowledge's latency on that index, and tokens per answer with how often the right
 * article comes first for questions in a customer's words.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encode } from "gpt-tokenizer";
import { createLogger } from "../src/log.js";
import { startHelpCenter } from "../src/sandbox/index.js";
import { prng } from "../src/sandbox/seed-data.js";
import { type CrawlRecord, DiskPageStore, KnowledgeBase, type PageStore, type StoredPage } from "../src/services/knowledge/index.js";
import { startHarness } from "../test/helpers/harness.js";
import { CUSTOMER_QUESTIONS, knowledgeFixture } from "../test/helpers/knowledge.js";
import { percentile, round, table } from "./stats.js";

const log = createLogger("silent");

async function crawlOnce(hostile: boolean): Promise<Array<string | number>> {
  const center = await startHelpCenter({ hostile });
  const dir = mkdtempSync(join(tmpdir(), "bench-knowledge-"));
  const kb = new KnowledgeBase({ url: center.url, store: new DiskPageStore(dir, center.url), log });
  const started = performance.now();
  kb.start();
  await kb.settled();
  const ms = performance.now() - started;
  const status = kb.status().helpCenter;
  kb.stop();
  await center.stop();
  rmSync(dir, { recursive: true, force: true });
  return [
    hostile ? "hostile (10,000-URL sitemap, loop, off-host, 500, 5 MB page)" : "sandbox help center (40 articles, 3 languages)",
    center.requests.length,
    status?.last?.found ?? 0,
    status?.indexed ?? 0,
    status?.last?.failedCount ?? 0,
    center.maxInFlight,
    round(ms / 1000, 2),
  ];
}

/** 2,000 articles of ~250 words from a 3,000-word vocabulary, kept as a previous crawl left them. */
function syntheticPages(count: number): StoredPage[] {
  const random = prng(33);
  const vocabulary = Array.from({ length: 3_000 }, (_, i) => `w${i.toString(36)}${"aeiou"[i % 5]}`);
  const word = () => vocabulary[Math.floor(random() ** 2 * vocabulary.length)] as string;
  return Array.from({ length: count }, (_, i) => ({
    url: `https://help.example.com/en/articles/${i}-article`,
    title: Array.from({ length: 6 }, word).join(" "),
    text: Array.from({ length: 250 }, word).join(" "),
    lang: "en",
    hub: false,
    checkedAt: Date.now(),
  }));
}

class PreloadedStore implements PageStore {
  readonly where = "memory";
  constructor(private readonly pages: StoredPage[]) {}
  async loadPages() {
    return this.pages;
  }
  async loadRecord(): Promise<CrawlRecord> {
    return { startedAt: Date.now(), finishedAt: Date.now(), found: this.pages.length, failed: [], failedCount: 0, discovery: "sitemap" };
  }
  async putPage() {}
  async removePage() {}
  async saveRecord() {}
  async claimCrawl() {
    return true;
  }
  async releaseCrawl() {}
}

async function largeIndex(): Promise<string> {
  const pages = syntheticPages(2_000);
  const rssBefore = process.memoryUsage().rss;
  const kb = new KnowledgeBase({ url: "https://help.example.com/", store: new PreloadedStore(pages), log });
  const started = performance.now();
  kb.start();
  await kb.settled();
  const buildMs = performance.now() - started;
  const rssAfter = process.memoryUsage().rss;
  const random = prng(7);
  const words = pages.flatMap((p) => p.text.split(" ").slice(0, 20));
  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const query = Array.from({ length: 4 }, () => words[Math.floor(random() * words.length)]).join(" ");
    const t = performance.now();
    await kb.search(query, 5);
    samples.push(performance.now() - t);
  }
  kb.stop();
  return table(
    ["articles", "index build (load + index)", "RSS added", "search_knowledge p50", "p95"],
    [
      [
        pages.length,
        `${Math.round(buildMs)} ms`,
        `${round((rssAfter - rssBefore) / 2 ** 20, 1)} MB`,
        `${round(percentile(samples, 50), 2)} ms`,
        `${round(percentile(samples, 95), 2)} ms`,
      ],
    ],
  );
}

async function answers(): Promise<string> {
  const fixture = await knowledgeFixture();
  const h = await startHarness({ knowledge: fixture.knowledge });
  const structured: number[] = [];
  const text: number[] = [];
  let first = 0;
  for (const [question, id] of CUSTOMER_QUESTIONS) {
    const result = await h.call("search_knowledge", { query: question, limit: 5 });
    structured.push(encode(JSON.stringify(result.structuredContent)).length);
    text.push(encode(h.text(result)).length);
    const top = (result.structuredContent as { results: Array<{ url?: string }> }).results[0];
    if (top?.url === fixture.center?.articleUrl(id)) first++;
  }
  await h.close();
  await fixture.close();
  const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  return table(
    ["answer (limit 5)", "mean tokens", "max tokens"],
    [
      ["structuredContent", mean(structured), Math.max(...structured)],
      ["text content", mean(text), Math.max(...text)],
    ],
  ).concat(
    `\n\nRight article first: ${first} of ${CUSTOMER_QUESTIONS.length} questions in a customer's words (the table in test/tools/search_knowledge.test.ts).`,
  );
}

export async function knowledgeEconomy(report: (title: string, body: string) => void): Promise<void> {
  const crawls = [await crawlOnce(false), await crawlOnce(true)];
  report(
    "Knowledge: crawling a help center",
    `${table(["site", "requests", "pages found", "articles indexed", "failed", "most in flight", "seconds"], crawls)}\n\nOn loopback: the time is the crawler's own cost (parsing, extraction, indexing, the page cache on disk); a real site adds its latency, two requests at a time.`,
  );
  report("Knowledge: index of 2,000 articles and search latency", await largeIndex());
  report("Knowledge: tokens per search_knowledge answer", await answers());
}
