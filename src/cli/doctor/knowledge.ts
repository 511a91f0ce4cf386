/**
 * The knowledge sources in doctor's report: for the help center, the pages found, the articles
 * indexed, the pages that failed (with why) and the index's age; for saved replies, how many were
 * read. A help center that yields no article, or saved replies that cannot be read, is a problem.
 */
import type { KnowledgeStatus } from "../../services/knowledge/index.js";

/** Failed pages listed by name; the rest are counted. */
const FAILURES_SHOWN = 5;

function age(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

export function knowledgeLines(status: KnowledgeStatus, now: number): { lines: string[]; problems: string[] } {
  const lines = ["", "Knowledge (search_knowledge):"];
  const problems: string[] = [];
  const center = status.helpCenter;
  if (center) {
    const last = center.last;
    if (center.state !== "ready") {
      const { discovered, fetched } = center.progress;
      lines.push(
        `  help center ${center.url}: the crawl did not finish within the deadline (${fetched} of ${discovered} pages read, ${center.indexed} articles indexed)`,
      );
    } else if (last) {
      lines.push(
        `  help center ${center.url}: ${center.indexed} articles indexed of ${last.found} pages found (${last.discovery === "sitemap" ? "from sitemaps" : last.discovery === "links" ? "by following links" : "none found"}), ${last.failedCount} failed; index age ${age(now - last.finishedAt)}`,
      );
      for (const failure of last.failed.slice(0, FAILURES_SHOWN)) lines.push(`      ✗ ${failure.url}: ${failure.reason}`);
      if (last.failedCount > FAILURES_SHOWN) lines.push(`      … and ${last.failedCount - FAILURES_SHOWN} more`);
    }
    lines.push(`      pages kept in ${center.store}; revalidated every 24 h`);
    if (center.state === "ready" && center.indexed === 0)
      problems.push(
        `HELPCRUNCH_KNOWLEDGE_URL (${center.url}) gave no article: check that it is your help center's public root and that robots.txt allows it${last?.failed[0] ? ` (first failure: ${last.failed[0].reason})` : ""}.`,
      );
  }
  const replies = status.savedReplies;
  if (replies) {
    lines.push(`  saved replies ${replies.path}: ${replies.problem ?? `${replies.count} replies`}`);
    if (replies.problem) problems.push(replies.problem);
    else if (replies.count === 0)
      problems.push(`HELPCRUNCH_SAVED_REPLIES (${replies.path}) holds no reply: write one "## Name" section per reply.`);
  }
  return { lines, problems };
}
