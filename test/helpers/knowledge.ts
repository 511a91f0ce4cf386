/**
 * A knowledge base for in-process tests (startHarness({knowledge})): the sandbox's help center over
 * real HTTP, crawled into a temporary cache, and the demo's saved replies; or saved replies alone,
 * which need no crawl.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../src/log.js";
import { DEMO_SAVED_REPLIES, type HelpCenterHandle, startHelpCenter } from "../../src/sandbox/index.js";
import { type KnowledgeBase, startKnowledge } from "../../src/services/knowledge/index.js";

export interface KnowledgeFixture {
  knowledge: KnowledgeBase;
  center?: HelpCenterHandle;
  repliesFile: string;
  close(): Promise<void>;
}

export async function knowledgeFixture(options: { helpCenter?: boolean } = {}): Promise<KnowledgeFixture> {
  const folder = mkdtempSync(join(tmpdir(), "knowledge-fixture-"));
  const repliesFile = join(folder, "saved-replies.md");
  writeFileSync(repliesFile, DEMO_SAVED_REPLIES);
  const center = options.helpCenter === false ? undefined : await startHelpCenter();
  const knowledge = startKnowledge(
    { ...(center ? { url: center.url } : {}), savedReplies: repliesFile, cacheDir: join(folder, "cache") },
    createLogger("silent"),
  );
  await knowledge.settled();
  await knowledge.syncReplies();
  return {
    knowledge,
    center,
    repliesFile,
    close: async () => {
      knowledge.stop();
      await center?.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
