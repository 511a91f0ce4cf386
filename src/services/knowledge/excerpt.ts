/**
 * The short passage shown for a match: the window of about EXCERPT_WORDS words holding the most
 * matched terms, cut at a word boundary to at most EXCERPT_CHARS characters, with "…" where text
 * was left out. Bounded whatever the article's length; works on any script (tokenize/foldTerm).
 */
import { foldTerm, tokenize } from "./search-index.js";

export const EXCERPT_WORDS = 60;
/** About 80 tokens of English: five results stay near 600 tokens with their titles and links. */
export const EXCERPT_CHARS = 300;

export function excerptAround(text: string, matched: readonly string[]): string {
  const words = text.split(" ").filter(Boolean);
  if (words.length === 0) return "";
  const wanted = new Set(matched);
  const hits = words.map((word) => tokenize(word).some((t) => wanted.has(foldTerm(t) ?? "")));
  // Sliding window: the start whose EXCERPT_WORDS words hold the most hits (the first such start).
  let best = 0;
  let bestCount = -1;
  let count = 0;
  for (let i = 0; i < words.length; i++) {
    if (hits[i]) count++;
    const start = i - EXCERPT_WORDS + 1;
    if (start > 0 && hits[start - 1]) count--;
    if (start >= 0 || i === words.length - 1) {
      const from = Math.max(0, start);
      if (count > bestCount) {
        bestCount = count;
        best = from;
      }
    }
  }
  // Start a little before the first hit of the window, so the match is read in its sentence.
  const firstHit = hits.indexOf(true, best);
  const start = firstHit >= 0 && firstHit - best > 8 ? firstHit - 8 : best;
  const picked: string[] = [];
  let length = 0;
  let end = start;
  for (; end < words.length && end < start + EXCERPT_WORDS; end++) {
    const word = words[end] as string;
    if (length + word.length + 1 > EXCERPT_CHARS) break;
    picked.push(word);
    length += word.length + 1;
  }
  if (picked.length === 0)
    picked.push(
      Array.from(words[start] as string)
        .slice(0, EXCERPT_CHARS - 2)
        .join(""),
    );
  return `${start > 0 ? "…" : ""}${picked.join(" ")}${end < words.length ? "…" : ""}`;
}
