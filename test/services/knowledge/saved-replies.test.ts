/**
 * The saved-replies parser as properties (any Markdown in, bounded clean replies out; a file written
 * from replies reads back as those replies), and the source's reload when a file or folder changes.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  MAX_REPLIES,
  MAX_REPLY_NAME,
  MAX_REPLY_TEXT,
  parseSavedReplies,
  SavedReplySource,
} from "../../../src/services/knowledge/saved-replies.js";

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A name or a line of text as people write them: words and punctuation, no line breaks or heading marks. */
const words = (max: number) =>
  fc.array(fc.stringMatching(/^[\p{L}\d.,!?'’()€$%-]{1,10}$/u), { minLength: 1, maxLength: max }).map((w) => w.join(" "));
const reply = fc.record({ name: words(6), lines: fc.array(words(12), { minLength: 1, maxLength: 5 }) });

describe("parseSavedReplies", () => {
  it("reads back the replies a file was written from, in order", () => {
    fc.assert(
      fc.property(fc.array(reply, { minLength: 1, maxLength: 12 }), fc.boolean(), (replies, withTitle) => {
        const markdown = `${withTitle ? "# Our replies\n\nIntro text.\n\n" : ""}${replies.map((r) => `## ${r.name}\n${r.lines.join("\n")}\n`).join("\n")}`;
        expect(parseSavedReplies(markdown, "replies.md")).toEqual(
          replies.map((r) => ({ name: r.name, text: r.lines.join(" "), file: "replies.md" })),
        );
      }),
    );
  });

  it("never throws on any text; every reply has a name and text, capped, valid Unicode, at most MAX_REPLIES", () => {
    const markdownish = fc
      .array(
        fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), fc.constantFrom("## ", "# ", "```", "~~~", "\n", "\r\n", "##", "\uD800")),
        {
          maxLength: 60,
        },
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(markdownish, (markdown) => {
        const replies = parseSavedReplies(markdown, "f.md");
        expect(replies.length).toBeLessThanOrEqual(MAX_REPLIES);
        for (const r of replies) {
          expect(r.name.length).toBeGreaterThan(0);
          expect(r.name.length).toBeLessThanOrEqual(MAX_REPLY_NAME);
          expect(r.text.length).toBeGreaterThan(0);
          expect(r.text.length).toBeLessThanOrEqual(MAX_REPLY_TEXT);
          expect(LONE.test(r.name + r.text)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a heading inside a fenced code block does not split a reply; a file without sections is one reply", () => {
    expect(parseSavedReplies("## Steps\nRun:\n```\n## not a reply\n```\nDone.", "a.md")).toEqual([
      { name: "Steps", text: "Run: ``` ## not a reply ``` Done.", file: "a.md" },
    ]);
    expect(parseSavedReplies("# Holiday hours\nWe are closed on public holidays.", "b.md")).toEqual([
      { name: "Holiday hours", text: "We are closed on public holidays.", file: "b.md" },
    ]);
    expect(parseSavedReplies("Thanks for waiting!", "thanks.md")).toEqual([
      { name: "thanks", text: "Thanks for waiting!", file: "thanks.md" },
    ]);
  });
});

describe("SavedReplySource", () => {
  it("reads a folder of .md files and reads again only when one changes", async () => {
    const folder = mkdtempSync(join(tmpdir(), "replies-"));
    folders.push(folder);
    writeFileSync(join(folder, "a.md"), "## One\nFirst reply.\n## Two\nSecond reply.");
    writeFileSync(join(folder, "notes.txt"), "## Not markdown\nignored");
    let now = 0;
    const source = new SavedReplySource(folder, () => now);
    expect(await source.refresh()).toBe(true);
    expect(source.current.map((r) => r.name)).toEqual(["One", "Two"]);
    now += 2_000;
    expect(await source.refresh()).toBe(false);
    writeFileSync(join(folder, "b.md"), "## Three\nThird reply.");
    // Within a second of the last look, nothing is read.
    now += 500;
    expect(await source.refresh()).toBe(false);
    now += 1_000;
    expect(await source.refresh()).toBe(true);
    expect(source.current.map((r) => r.name)).toEqual(["One", "Two", "Three"]);
  });

  it("a missing path is reported, not thrown", async () => {
    const source = new SavedReplySource("/nonexistent/replies.md");
    expect(await source.refresh()).toBe(false);
    expect(source.problem).toMatch(/^HELPCRUNCH_SAVED_REPLIES could not be read/);
  });
});
