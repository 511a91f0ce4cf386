/**
 * The chat reads the query layer is built on: GET /chats and POST /chats/search with the account's
 * learned dialect applied (status filter values, sort fallbacks), and the read-only probes the
 * dialect learns from. Below both the client and chat-query.ts: the query asks downward, never back
 * into the client.
 */
import { isBudgetSpent } from "./budget.js";
import { type ChatSortField, Dialect, type DialectProbes } from "./dialect.js";
import { isHelpCrunchError } from "./errors.js";
import { clampLimit, clampOffset, type Pager } from "./pager.js";
import { MAX_PAGE_SIZE } from "./paginate.js";
import { type Chat, chatSchema, listEnvelope, type Page } from "./schemas.js";
import { type ChatStatus, isKnownStatus, type StatusFilterSetting } from "./status.js";
import type { CallOptions, ChatSearch, ListParams, SearchFilter } from "./types.js";

export const chatList = listEnvelope(chatSchema);

/** A search whose statuses are already resolved to the account's filter values (see resolveStatuses). */
export interface ResolvedSearch extends Omit<ChatSearch, "statuses"> {
  /** The statuses asked for, kept to guard the results. */
  statuses: ChatStatus[];
  /** Their filter values in this account's dialect, one per known status. */
  values: string[];
}

/** A search HelpCrunch cannot run, refused before any request (status learning included). */
export function checkSearch(statuses: ChatStatus[], filters: SearchFilter[]): void {
  // HelpCrunch has one level of AND/OR: "(a OR b) AND c" cannot be expressed in one request.
  if (statuses.length > 1 && filters.length > 0)
    throw new Error("searchChats: several statuses cannot be combined with other filters; run one search per status");
  if (statuses.length === 0 && filters.length === 0)
    throw new Error("searchChats: HelpCrunch needs at least one filter; use listChats for everything");
}

export class ChatReads {
  readonly dialect: Dialect;
  private warnedAboutGuard = false;

  constructor(
    private readonly pager: Pager,
    statusFilter: StatusFilterSetting,
    onInfo: (message: string) => void,
    private readonly warn: (message: string) => void,
  ) {
    this.dialect = new Dialect(statusFilter, onInfo);
  }

  listChats(params: ListParams = {}, opts?: CallOptions): Promise<Page<Chat>> {
    const query = { offset: clampOffset(params.offset), limit: clampLimit(params.limit), sort: params.sort, order: params.order };
    return this.pager.page({ method: "GET", path: "/chats", query, idempotent: true }, chatList, opts);
  }

  /**
   * The filter values of `statuses` (learning first if needed); statuses without one are `missing`.
   * The learning probes are requests of the call that needs them (`opts`: its budget, deadline and
   * cancel). When its budget runs out mid-learning, names are sent (the guard keeps results right)
   * and the call's next request finds the budget spent, so its answer says it is partial.
   */
  async resolveStatuses(
    statuses: ChatStatus[],
    opts?: CallOptions,
  ): Promise<{ known: ChatStatus[]; values: string[]; missing: ChatStatus[] }> {
    for (;;) {
      try {
        const { values, missing } = await this.dialect.statusFilterValues(statuses, this.probes(opts));
        return { known: statuses.filter((s) => !missing.includes(s)), values, missing };
      } catch (error) {
        if (!isBudgetSpent(error)) throw error;
        if (opts?.budget?.exhausted) return { known: statuses, values: [...statuses], missing: [] };
        // Another call's budget stopped the learning this one waited for: learn again on this call's own.
      }
    }
  }

  /** POST /chats/search with resolved statuses; a refused sort falls back once; other statuses are dropped. */
  async search(search: ResolvedSearch, opts?: CallOptions): Promise<Page<Chat>> {
    const { statuses, values } = search;
    const others = search.filters ?? [];
    checkSearch(statuses, others);
    if (statuses.length > 0 && values.length === 0) return { data: [], total: 0, rawCount: 0 };
    const statusFilters: SearchFilter[] = values.map((value) => ({ field: "chats.status", operator: "=", value }));
    const filter = [...statusFilters, ...others];
    const body = (sort: ChatSortField) => ({
      filter,
      comparison: statusFilters.length > 1 ? "OR" : "AND",
      sort,
      order: search.order ?? "desc",
      offset: clampOffset(search.offset),
      limit: clampLimit(search.limit),
    });
    const send = (sort: ChatSortField) =>
      this.pager.page({ method: "POST", path: "/chats/search", body: body(sort), idempotent: true }, chatList, opts);
    const sort = this.dialect.searchSort(search.sort ?? "chats.lastMessageAt");
    const page = await send(sort).catch((error: unknown) => {
      const fallback = isHelpCrunchError(error) && error.refusesField("sort") ? this.dialect.sortRefused(sort) : undefined;
      if (fallback === undefined) throw error;
      return send(fallback);
    });
    return statuses.length > 0 ? this.guardStatuses(page, statuses) : page;
  }

  /** Read-only requests the dialect learns from, spent by the call `opts` belongs to; never guarded, never retried into a fallback. */
  private probes(opts: CallOptions | undefined): DialectProbes {
    return {
      sample: async () => (await this.listChats({ limit: MAX_PAGE_SIZE, sort: "chats.lastMessageAt", order: "desc" }, opts)).data,
      searchStatus: async (value: string) => {
        const body = {
          filter: [{ field: "chats.status", operator: "=", value }],
          comparison: "AND",
          sort: "chats.createdAt",
          order: "desc",
          offset: 0,
          limit: 10,
        };
        return (await this.pager.page({ method: "POST", path: "/chats/search", body, idempotent: true }, chatList, opts)).data;
      },
    };
  }

  /**
   * A wrong guess about status encoding must give fewer results, never wrong ones: drop chats
   * whose status was not asked for, and say once per client that the encoding may be wrong.
   */
  private guardStatuses(page: Page<Chat>, statuses: ChatStatus[]): Page<Chat> {
    const kept = page.data.filter((c) => isKnownStatus(c.status) && statuses.includes(c.status));
    if (kept.length < page.data.length && !this.warnedAboutGuard) {
      this.warnedAboutGuard = true;
      this.warn(
        `HelpCrunch returned chats with other statuses than asked for (${statuses.join(", ")}); they were dropped. Run \`helpcrunch-mcp doctor\` to see which status filter this account takes.`,
      );
    }
    return { ...page, data: kept };
  }
}
