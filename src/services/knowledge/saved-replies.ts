/**
 * Saved replies from HELPCRUNCH_SAVED_REPLIES: a Markdown file with one `## Name` section per reply,
 * or a folder of `.md` files (each read the same way; a file without `##` sections is one reply, named
 * by its `# Title` or its file name). Headings inside fenced code blocks do not split. Reloaded when
 * a file changes (checked at most once a second, when a search needs them). Bounded: files, bytes,
 * replies and characters per reply all have caps; text is cleaned like any untrusted text.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { visibleText } from "../../present/text.js";

export const MAX_REPLY_FILES = 200;
export const MAX_FILE_BYTES = 1_048_576;
export const MAX_REPLIES = 1_000;
export const MAX_REPLY_TEXT = 5_000;
export const MAX_REPLY_NAME = 120;
/** How often a search may look at the files' modification times. */
const CHECK_EVERY_MS = 1_000;

export interface SavedReply {
  name: string;
  text: string;
  /** The file it came from (its base name). */
  file: string;
}

const FENCE = /^\s{0,3}(```|~~~)/;
const HEADING = /^\s{0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;

/** One Markdown document → its replies, in order (never throws; empty sections are skipped). */
export function parseSavedReplies(markdown: string, fileName: string): SavedReply[] {
  const replies: SavedReply[] = [];
  let title = "";
  let current: { name: string; lines: string[] } | undefined;
  const preamble: string[] = [];
  let fenced = false;
  const flush = () => {
    if (!current) return;
    const text = visibleText(current.lines.join("\n")).slice(0, MAX_REPLY_TEXT);
    const name = visibleText(current.name).slice(0, MAX_REPLY_NAME);
    if (text && name && replies.length < MAX_REPLIES) replies.push({ name, text, file: fileName });
  };
  for (const line of markdown.split(/\r\n|\r|\n/)) {
    if (FENCE.test(line)) fenced = !fenced;
    const heading = fenced ? null : HEADING.exec(line);
    if (heading?.[1] === "##") {
      flush();
      current = { name: heading[2] ?? "", lines: [] };
    } else if (heading?.[1] === "#" && !current && !title) {
      title = heading[2] ?? "";
    } else if (current) current.lines.push(line);
    else preamble.push(line);
  }
  flush();
  if (replies.length > 0 || current) return replies;
  // No `##` sections: the whole file is one reply.
  current = { name: title || basename(fileName).replace(/\.(md|markdown)$/i, ""), lines: preamble };
  flush();
  return replies;
}

/** Where the replies live, and what they were when last read. */
export class SavedReplySource {
  private signature = "";
  private checkedAt = -Infinity;
  private replies: SavedReply[] = [];
  /** Why the last read failed, for doctor and the tool's notes. */
  problem?: string;

  constructor(
    readonly path: string,
    private readonly now: () => number = Date.now,
  ) {}

  get current(): readonly SavedReply[] {
    return this.replies;
  }

  /** Reads the replies again when a file changed; true when they did. */
  async refresh(): Promise<boolean> {
    if (this.now() - this.checkedAt < CHECK_EVERY_MS) return false;
    this.checkedAt = this.now();
    try {
      const files = await this.files();
      const stats = await Promise.all(files.map(async (file) => ({ file, info: await stat(file) })));
      const signature = stats.map(({ file, info }) => `${file}:${info.size}:${info.mtimeMs}`).join("|");
      if (signature === this.signature) return false;
      const replies: SavedReply[] = [];
      for (const { file, info } of stats) {
        if (info.size > MAX_FILE_BYTES) throw new Error(`${basename(file)} is larger than 1 MB`);
        for (const reply of parseSavedReplies(await readFile(file, "utf8"), basename(file)))
          if (replies.length < MAX_REPLIES) replies.push(reply);
      }
      this.replies = replies;
      this.signature = signature;
      this.problem = undefined;
      return true;
    } catch (error) {
      this.problem = `HELPCRUNCH_SAVED_REPLIES could not be read: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`;
      return false;
    }
  }

  private async files(): Promise<string[]> {
    const info = await stat(this.path);
    if (!info.isDirectory()) return [this.path];
    const names = (await readdir(this.path)).filter((name) => /\.(md|markdown)$/i.test(name) && !name.startsWith("."));
    return names
      .sort()
      .slice(0, MAX_REPLY_FILES)
      .map((name) => join(this.path, name));
  }
}
