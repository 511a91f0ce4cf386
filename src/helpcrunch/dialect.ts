/**
 * What this HelpCrunch account's API accepts where the public docs disagree, learned from the API's
 * own answers once per process (docs/helpcrunch-dialect.md):
 * - `chats.status` search filters: status names, or numeric codes whose mapping no public source
 *   gives. Learned with read-only probes: GET /chats shows which statuses exist (ground truth), one
 *   search by name tells whether names work, then one search per code tells which status it means.
 *   A status search that returns nothing while GET /chats shows chats with that status is the silent
 *   failure this catches.
 * - `snoozedUntil` as an integer or a numeric string, learned from a 400 that names the field.
 * - the on-hold spelling PUT /chats/status takes, learned from a 400 invalid_chat_value.
 * - search sort fields, learned from a 400 that names `sort`.
 * Probes are reads, bounded (MAX_PROBES answered for the whole process), spent from the budget of the
 * call that runs them (a probe its budget refused is not counted and is tried again by a later call)
 * and shared by concurrent callers; write
 * fallbacks are one retry of a refused idempotent PUT each.
 */
import type { Chat } from "./schemas.js";
import { CHAT_STATUSES, type ChatStatus, isKnownStatus, ON_HOLD_SPELLINGS, type StatusFilterSetting } from "./status.js";

/** Read-only requests the learning may spend in one process, ground truth included. */
export const MAX_PROBES = 10;
/** Numeric codes tried, most plausible first (the docs' examples use "3" and "5"). */
export const CANDIDATE_CODES = ["1", "2", "3", "4", "5", "6", "7", "0"] as const;

export type ChatSortField = "chats.createdAt" | "chats.lastMessageAt" | "chats.lastCustomerMessageAt" | "chats.closedAt";
/** What a refused search sort falls back to: fields the search page itself documents. */
const SORT_FALLBACK: Record<ChatSortField, ChatSortField> = {
  "chats.lastMessageAt": "chats.lastCustomerMessageAt",
  "chats.lastCustomerMessageAt": "chats.createdAt",
  "chats.closedAt": "chats.createdAt",
  "chats.createdAt": "chats.createdAt",
};

export type SnoozeEncoding = "integer" | "string";

export interface DialectProbes {
  /** Recent chats from GET /chats (no filter): which statuses exist. */
  sample(): Promise<Chat[]>;
  /** A few chats from POST /chats/search with `chats.status = value`, unguarded. */
  searchStatus(value: string): Promise<Chat[]>;
}

export interface StatusFilterReport {
  /** "unknown" until learned, or when the account showed no chats to learn from. */
  encoding: "name" | "code" | "unknown";
  /** The value sent per status; a status missing here has no known value yet. */
  values: Partial<Record<ChatStatus, string>>;
  /** One line per observation, e.g. `code "3" → pending (4 chats)`. */
  evidence: string[];
}

export interface DialectReport {
  statusFilter: StatusFilterReport;
  snoozedUntil: { encoding: SnoozeEncoding; learned: boolean };
  onHoldSpelling: { spelling: string; learned: boolean };
  searchSort: Partial<Record<ChatSortField, ChatSortField>>;
  /** Search orders checked against the timestamps of a page ("chats.createdAt asc": true when kept). */
  searchOrders: Record<string, boolean>;
  /** Learning requests spent (probes) and refused writes retried (fallbacks). */
  requests: { probes: number; fallbacks: number };
}

const PROBE_LIMIT = 10;

export class Dialect {
  private statusEncoding: "name" | "code" | "unknown" = "unknown";
  private readonly statusValues = new Map<ChatStatus, string>();
  private readonly evidence: string[] = [];
  /** Statuses GET /chats showed, with counts: what a probe must find. */
  private readonly seen = new Map<ChatStatus, number>();
  private readonly untriedCodes: string[] = [...CANDIDATE_CODES];
  private learning?: Promise<void>;
  private probes = 0;
  private fallbacks = 0;
  private snooze: SnoozeEncoding = "integer";
  private snoozeLearned = false;
  private onHold: string = ON_HOLD_SPELLINGS[0];
  private onHoldLearned = false;
  private readonly sortFallbacks = new Map<ChatSortField, ChatSortField>();
  private readonly orders = new Map<string, boolean>();

  constructor(
    private readonly setting: StatusFilterSetting,
    private readonly log: (message: string) => void,
  ) {
    if (setting !== "name") return;
    this.statusEncoding = "name";
    this.evidence.push("names: set by HELPCRUNCH_STATUS_FILTER=name");
  }

  /**
   * The filter value for each status, learning first if needed. Statuses without a known value are
   * left out; `missing` names them so the caller can say so instead of guessing.
   */
  async statusFilterValues(statuses: ChatStatus[], probes: DialectProbes): Promise<{ values: string[]; missing: ChatStatus[] }> {
    if (statuses.length === 0) return { values: [], missing: [] };
    if (this.canLearn(statuses)) await this.learn(statuses, probes);
    // Until something is learned, names (the documented type) are sent and the client's guard keeps results right.
    if (this.statusEncoding !== "code") return { values: [...statuses], missing: [] };
    const missing = statuses.filter((s) => !this.statusValues.has(s));
    return { values: statuses.flatMap((s) => this.statusValues.get(s) ?? []), missing };
  }

  private canLearn(statuses: ChatStatus[]): boolean {
    if (this.statusEncoding === "name" || this.probes >= MAX_PROBES) return false;
    if (this.statusEncoding === "unknown") return true;
    return this.untriedCodes.length > 0 && statuses.some((s) => !this.statusValues.has(s));
  }

  /** One learning run at a time; concurrent callers wait for the same one. */
  private learn(wanted: ChatStatus[], probes: DialectProbes): Promise<void> {
    this.learning ??= this.runLearning(wanted, probes).finally(() => {
      this.learning = undefined;
    });
    return this.learning;
  }

  private async runLearning(wanted: ChatStatus[], probes: DialectProbes): Promise<void> {
    const before = this.describeStatusFilter();
    if (this.seen.size === 0) await this.readGroundTruth(probes);
    if (this.seen.size === 0) return;
    if (this.statusEncoding === "unknown" && this.setting === "auto") await this.tryNames(probes);
    if (this.statusEncoding !== "name") await this.learnCodes(wanted, probes);
    const after = this.describeStatusFilter();
    if (after !== before) this.log(`HelpCrunch status filter: ${after}`);
  }

  private async readGroundTruth(probes: DialectProbes): Promise<void> {
    const sample = await probes.sample();
    this.probes++;
    for (const chat of sample) {
      if (isKnownStatus(chat.status)) this.seen.set(chat.status, (this.seen.get(chat.status) ?? 0) + 1);
    }
    const seen = [...this.seen].map(([s, n]) => `${s} ${n}`).join(", ");
    this.evidence.push(`GET /chats (recent chats): ${seen || "no chats yet, nothing to learn from"}`);
  }

  /** Names work when a search for the most common status returns chats of exactly that status. */
  private async tryNames(probes: DialectProbes): Promise<void> {
    const [status, count] = [...this.seen].sort((a, b) => b[1] - a[1])[0] as [ChatStatus, number];
    const found = await this.probe(status, probes);
    if (found.length > 0 && found.every((c) => c.status === status)) {
      this.statusEncoding = "name";
      this.evidence.push(`name "${status}" → ${status} (all ${found.length} chats returned)`);
      return;
    }
    this.evidence.push(
      found.length === 0
        ? `name "${status}" → no chats, though GET /chats shows ${count}: names do not work`
        : `name "${status}" → chats of other statuses: names do not work`,
    );
  }

  /**
   * One probe per untried code until every status wanted or seen has a code (or codes or the budget
   * run out). Codes of statuses with no chats stay unknown until such chats appear.
   */
  private async learnCodes(wanted: ChatStatus[], probes: DialectProbes): Promise<void> {
    const needed = () => [...new Set([...this.seen.keys(), ...wanted])].filter((s) => !this.statusValues.has(s));
    while (needed().length > 0 && this.untriedCodes.length > 0 && this.probes < MAX_PROBES) {
      const code = this.untriedCodes[0] as string;
      const found = await this.probe(code, probes);
      this.untriedCodes.shift();
      const statuses = [...new Set(found.map((c) => c.status))];
      if (statuses.length === 1 && isKnownStatus(statuses[0] as string) && !this.statusValues.has(statuses[0] as ChatStatus)) {
        this.statusValues.set(statuses[0] as ChatStatus, code);
        this.statusEncoding = "code";
        this.evidence.push(`code "${code}" → ${statuses[0]} (all ${found.length} chats returned)`);
      } else {
        this.evidence.push(`code "${code}" → ${found.length === 0 ? "no chats" : `mixed statuses (${statuses.join(", ")})`}`);
      }
    }
    for (const status of needed()) {
      const count = this.seen.get(status);
      this.evidence.push(
        count
          ? `${status}: GET /chats shows ${count} chat(s) but no code tried found them`
          : `${status}: no code known yet (no ${status} chat seen)`,
      );
    }
    if (this.statusEncoding === "unknown" && this.untriedCodes.length === 0)
      this.evidence.push("neither names nor codes 0–7 found chats: names sent, results guarded");
  }

  private async probe(value: string, probes: DialectProbes): Promise<Chat[]> {
    const found = await probes.searchStatus(value);
    this.probes++;
    return found.slice(0, PROBE_LIMIT);
  }

  private describeStatusFilter(): string {
    if (this.statusEncoding === "name") return "status names";
    if (this.statusEncoding === "unknown") return "not learned yet (names sent, results guarded)";
    const codes = [...this.statusValues].map(([s, c]) => `${c} = ${s}`).join(", ");
    const missing = CHAT_STATUSES.filter((s) => !this.statusValues.has(s));
    return `numeric codes (${codes})${missing.length ? `; not known yet: ${missing.join(", ")}` : ""}`;
  }

  // --- writes -------------------------------------------------------------------------------

  /** `snoozedUntil` in the encoding this account takes. */
  snoozedUntil(untilMs: number | null): number | string | null {
    if (untilMs === null) return null;
    const seconds = Math.floor(untilMs / 1000);
    return this.snooze === "string" ? String(seconds) : seconds;
  }

  /**
   * After a 400 naming snoozedUntil, given the value that was refused: true when a retry is worth it.
   * A request sent before a parallel one learned the other encoding is retried in the learned form;
   * otherwise the encoding switches once.
   */
  snoozeRefused(refused: unknown): boolean {
    const refusedEncoding: SnoozeEncoding = typeof refused === "string" ? "string" : "integer";
    if (refusedEncoding !== this.snooze) {
      this.fallbacks++;
      return true;
    }
    if (this.snoozeLearned) return false;
    this.snooze = this.snooze === "integer" ? "string" : "integer";
    this.snoozeLearned = true;
    this.fallbacks++;
    this.log(`HelpCrunch takes snoozedUntil as ${this.snooze === "string" ? "a string" : "an integer"} of UNIX seconds`);
    return true;
  }

  onHoldSpelling(): string {
    return this.onHold;
  }

  /** After a 400 invalid_chat_value: the next spelling not `tried` yet, or undefined when none is left. */
  onHoldRefused(tried: ReadonlySet<string>): string | undefined {
    const next = ON_HOLD_SPELLINGS.find((s) => !tried.has(s));
    if (next === undefined) return undefined;
    this.fallbacks++;
    this.onHold = next;
    return next;
  }

  /** The spelling that just worked: kept for every later write. */
  onHoldAccepted(spelling: string): void {
    if (!this.onHoldLearned || this.onHold !== spelling) this.log(`HelpCrunch takes on-hold as "${spelling}"`);
    this.onHold = spelling;
    this.onHoldLearned = true;
  }

  searchSort(requested: ChatSortField): ChatSortField {
    return this.sortFallbacks.get(requested) ?? requested;
  }

  /**
   * After a 400 naming `sort`: the documented field to use instead, or undefined when there is none.
   * A search sent before a parallel one learned the fallback gets the learned one.
   */
  sortRefused(refused: ChatSortField): ChatSortField | undefined {
    const learned = this.sortFallbacks.get(refused);
    if (learned !== undefined) return learned;
    const fallback = SORT_FALLBACK[refused];
    if (fallback === refused) return undefined;
    this.sortFallbacks.set(refused, fallback);
    this.fallbacks++;
    this.log(`HelpCrunch search cannot sort by ${refused}; using ${fallback}`);
    return fallback;
  }

  /**
   * Whether search keeps `field` in `order`: learned from the first page of a scan that needed it
   * (its timestamps in the order asked for), undefined until then. The docs promise nothing here.
   */
  orderKept(field: ChatSortField, order: "asc" | "desc"): boolean | undefined {
    if (this.sortFallbacks.has(field)) return false;
    return this.orders.get(`${field} ${order}`);
  }

  /** What a page showed; a broken order stays broken for the process (one page is proof enough). */
  orderSeen(field: ChatSortField, order: "asc" | "desc", kept: boolean): void {
    const key = `${field} ${order}`;
    if (this.orders.get(key) === false || this.orders.get(key) === kept) return;
    this.orders.set(key, kept);
    if (!kept) this.log(`HelpCrunch search does not keep the order ${key}; triage ranks what it reads and says so`);
  }

  report(): DialectReport {
    return {
      statusFilter: {
        encoding: this.statusEncoding,
        values:
          this.statusEncoding === "code" ? Object.fromEntries(this.statusValues) : Object.fromEntries(CHAT_STATUSES.map((s) => [s, s])),
        evidence: [...this.evidence],
      },
      snoozedUntil: { encoding: this.snooze, learned: this.snoozeLearned },
      onHoldSpelling: { spelling: this.onHold, learned: this.onHoldLearned },
      searchSort: Object.fromEntries(this.sortFallbacks),
      searchOrders: Object.fromEntries(this.orders),
      requests: { probes: this.probes, fallbacks: this.fallbacks },
    };
  }
}
