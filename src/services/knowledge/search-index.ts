/**
 * The full-text index of help-center articles and saved replies: MiniSearch (BM25 ranking, prefix and
 * fuzzy matching), with a tokenizer for any script. Words are runs of letters, digits and marks;
 * scripts written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Burmese) are cut into words by
 * Intl.Segmenter. Terms are folded (NFKD, marks removed, lower case), so "Rückerstattung" matches
 * "ruckerstattung" and "café" matches "cafe"; a short list of English function words is left out, so
 * "how do I get my money back" ranks by "money" and "back".
 */
import MiniSearch, { type SearchResult } from "minisearch";

export interface KnowledgeDoc {
  /** The page URL, or `saved:<file>#<name>` for a saved reply. */
  id: string;
  source: "help_center" | "saved_reply";
  title: string;
  text: string;
  /** help_center: the page's URL; saved_reply: the reply's name. */
  ref: string;
  lang?: string;
}

export interface KnowledgeHit {
  doc: KnowledgeDoc;
  score: number;
  /** Folded document terms that matched, for the excerpt. */
  terms: string[];
}

const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;
const segmenter = new Intl.Segmenter(undefined, { granularity: "word" });

const STOP_WORDS = new Set(
  (
    "a an and are as at be been but by can could did do does doing for from had has have how i if in into is it its " +
    "me my of on or our so than that the their them then there these they this to was we were what when where which " +
    "who why will with would you your yours am any some just also about can't cannot don't i'm it's"
  ).split(" "),
);

/** Words of any script, in order. */
export function tokenize(text: string): string[] {
  const words: string[] = [];
  for (const [run] of text.matchAll(WORD_RUN)) {
    if (!UNSPACED.test(run)) {
      words.push(run);
      continue;
    }
    for (const part of segmenter.segment(run)) if (part.isWordLike) words.push(part.segment);
  }
  return words;
}

/** The form a term is indexed and searched in; null drops it (function words, single Latin letters). */
export function foldTerm(term: string): string | null {
  const folded = term
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
  if (folded === "" || STOP_WORDS.has(folded)) return null;
  if (folded.length === 1 && !UNSPACED.test(folded) && !/\d/.test(folded)) return null;
  return folded;
}

export class KnowledgeIndex {
  private readonly docs = new Map<string, KnowledgeDoc>();
  private readonly search = new MiniSearch<KnowledgeDoc>({
    fields: ["title", "text"],
    storeFields: [],
    tokenize,
    processTerm: foldTerm,
    searchOptions: {
      boost: { title: 2.5 },
      combineWith: "OR",
      prefix: (term) => term.length >= 4,
      fuzzy: (term) => (term.length >= 6 ? 0.2 : false),
      weights: { prefix: 0.6, fuzzy: 0.3 },
    },
  });

  get size(): number {
    return this.docs.size;
  }

  /** Adds the document, or replaces the one with its id. */
  put(doc: KnowledgeDoc): void {
    if (this.docs.has(doc.id)) this.search.discard(doc.id);
    this.docs.set(doc.id, doc);
    this.search.add(doc);
  }

  remove(id: string): void {
    if (!this.docs.delete(id)) return;
    this.search.discard(id);
  }

  ids(source?: KnowledgeDoc["source"]): string[] {
    return [...this.docs.values()].filter((d) => !source || d.source === source).map((d) => d.id);
  }

  find(query: string, limit: number): KnowledgeHit[] {
    const results: SearchResult[] = this.search.search(query);
    return results.slice(0, limit).flatMap((r) => {
      const doc = this.docs.get(String(r.id));
      return doc ? [{ doc, score: r.score, terms: r.terms }] : [];
    });
  }
}
