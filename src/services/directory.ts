/**
 * Names → ids. Agents, departments and applications are fetched once and cached for a short TTL
 * (concurrent callers share one fetch), so resolving names never costs one request per chat.
 * References are an id, an email (agents) or an exact case-insensitive name; anything else is a
 * ToolError listing the closest candidates with their ids. With a SharedCache (Redis), every process
 * sharing the API key reads the lists one of them fetched, for the same TTL.
 */
import {
  type Agent,
  type Application,
  type CallOptions,
  type Customer,
  type Department,
  type HelpCrunchApi,
  isNotFound,
  type Organization,
} from "../helpcrunch/index.js";
import { ToolError } from "../tool-error.js";

export const DIRECTORY_TTL_MS = 5 * 60_000;
/** Who is online changes by the minute: the team's availability is kept a minute, not five. */
export const AVAILABILITY_TTL_MS = 60_000;
/** After a miss, refetch once if the cache is older than this: a colleague may have just been added. */
const REFRESH_ON_MISS_AFTER_MS = 15_000;

export type Ref = number | string;

interface Named {
  id: number;
  name: string | null;
  email?: string | null;
}

/** A list and when it was fetched (epoch ms). */
export interface CachedValue<T = unknown> {
  items: T[];
  at: number;
}

/** A cache shared by several processes. Never throws: an unreachable store reads as empty and ignores writes. */
export interface SharedCache {
  get(name: string): Promise<CachedValue | undefined>;
  set(name: string, value: CachedValue, ttlMs: number): Promise<void>;
}

class CachedList<T> {
  private value?: CachedValue<T>;
  private pending?: Promise<T[]>;

  constructor(
    private readonly name: string,
    private readonly fetch: (opts?: CallOptions) => Promise<T[]>,
    private readonly now: () => number,
    private readonly ttlMs: number,
    private readonly shared?: SharedCache,
  ) {}

  async get(opts?: CallOptions, maxAgeMs = this.ttlMs): Promise<T[]> {
    if (this.value && this.now() - this.value.at < maxAgeMs) return this.value.items;
    this.pending ??= this.load(opts, maxAgeMs).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** The cached items while fresh, without fetching. */
  peek(): T[] | undefined {
    return this.value && this.now() - this.value.at < this.ttlMs ? this.value.items : undefined;
  }

  private async load(opts: CallOptions | undefined, maxAgeMs: number): Promise<T[]> {
    // Items in the shared cache were fetched and validated by a client like this one.
    const shared = (await this.shared?.get(this.name)) as CachedValue<T> | undefined;
    if (shared && this.now() - shared.at < maxAgeMs && shared.at > (this.value?.at ?? Number.NEGATIVE_INFINITY)) {
      this.value = shared;
      return shared.items;
    }
    const items = await this.fetch(opts);
    this.value = { items, at: this.now() };
    await this.shared?.set(this.name, this.value, this.ttlMs);
    return items;
  }
}

export class Directory {
  private readonly agentList: CachedList<Agent>;
  private readonly departmentList: CachedList<Department>;
  private readonly applicationList: CachedList<Application>;
  private readonly organization: CachedList<Organization>;

  constructor(
    private readonly client: HelpCrunchApi,
    now: () => number,
    ttlMs = DIRECTORY_TTL_MS,
    shared?: SharedCache,
  ) {
    const availabilityTtl = Math.min(ttlMs, AVAILABILITY_TTL_MS);
    this.organization = new CachedList("organization", async (opts) => [await client.getOrganization(opts)], now, availabilityTtl, shared);
    this.agentList = new CachedList("agents", (opts) => client.listAgents(opts), now, ttlMs, shared);
    this.departmentList = new CachedList("departments", (opts) => client.listDepartments(opts), now, ttlMs, shared);
    this.applicationList = new CachedList("applications", (opts) => client.listApplications(opts), now, ttlMs, shared);
  }

  agents(opts?: CallOptions): Promise<Agent[]> {
    return this.agentList.get(opts);
  }

  departments(opts?: CallOptions): Promise<Department[]> {
    return this.departmentList.get(opts);
  }

  applications(opts?: CallOptions): Promise<Application[]> {
    return this.applicationList.get(opts);
  }

  /** Whether an agent is online and the chat widget is on; undefined when HelpCrunch cannot say. */
  async availability(opts?: CallOptions): Promise<Organization | undefined> {
    return (await this.organization.get(opts).catch(() => []))[0];
  }

  /** The availability already known (fresh), without a request: for answers that must cost none. */
  knownAvailability(): Organization | undefined {
    return this.organization.peek()?.[0];
  }

  resolveAgent(ref: Ref, opts?: CallOptions): Promise<Agent> {
    return resolveIn(ref, "agent", "list_agents", (maxAge) => this.agentList.get(opts, maxAge));
  }

  resolveDepartment(ref: Ref, opts?: CallOptions): Promise<Department> {
    return resolveIn(ref, "department", "list_departments", (maxAge) => this.departmentList.get(opts, maxAge));
  }

  /**
   * A customer by id (or digits), email, or your product's userId: exactly one, or a ToolError that
   * says what to do. Customers are too many to cache: each reference is one or two requests.
   */
  async resolveCustomer(ref: Ref, opts?: CallOptions): Promise<Customer> {
    const text = String(ref).trim();
    const shown = text.slice(0, 80);
    if (/^\d+$/.test(text)) {
      const byId = await this.client.getCustomer(Number(text), opts).catch((e: unknown) => {
        if (isNotFound(e)) return undefined;
        throw e;
      });
      if (byId) return byId;
    }
    const found = text.includes("@")
      ? await this.client.findCustomers(text, 2, opts)
      : await this.client.findCustomersByUserId(text, 2, opts);
    const [first, second] = found.data;
    if (first && !second) return first;
    if (!first) throw new ToolError(`No customer has the id, email or userId ${shown}. Use search_customers to find the customer.`);
    throw new ToolError(`Several customers match ${shown} (ids ${found.data.map((c) => c.id).join(", ")}). Pass one of those ids.`);
  }
}

async function resolveIn<T extends Named>(ref: Ref, kind: string, listTool: string, load: (maxAgeMs?: number) => Promise<T[]>): Promise<T> {
  const first = matchRef(ref, await load());
  if (first.length === 1) return first[0] as T;
  const items = first.length === 0 ? await load(REFRESH_ON_MISS_AFTER_MS) : [];
  const matches = first.length === 0 ? matchRef(ref, items) : first;
  if (matches.length === 1) return matches[0] as T;
  if (matches.length > 1) {
    throw new ToolError(`"${ref}" matches ${matches.length} ${kind}s: ${listCandidates(matches)}. Pass the id instead.`);
  }
  const close = closeCandidates(ref, items);
  const hint = close.length > 0 ? ` Closest: ${listCandidates(close)}.` : "";
  throw new ToolError(`No ${kind} matches "${String(ref).slice(0, 60)}".${hint} Use ${listTool} to see them all.`);
}

/** By id (number or numeric string), by email (contains @), else by exact case-insensitive name. */
export function matchRef<T extends Named>(ref: Ref, items: T[]): T[] {
  const text = String(ref).trim();
  if (/^\d+$/.test(text)) return items.filter((i) => i.id === Number(text));
  const lower = text.toLowerCase();
  if (lower.includes("@")) return items.filter((i) => i.email?.toLowerCase() === lower);
  return items.filter((i) => i.name?.trim().toLowerCase() === lower);
}

/** Up to five items sharing a word (or an email local part) with the reference. */
export function closeCandidates<T extends Named>(ref: Ref, items: T[]): T[] {
  const words = String(ref)
    .toLowerCase()
    .split(/[\s@._-]+/)
    .filter((w) => w.length >= 2);
  return items
    .filter((i) => {
      const hay = `${i.name ?? ""} ${i.email ?? ""}`.toLowerCase();
      return words.some((w) => hay.includes(w));
    })
    .slice(0, 5);
}

function listCandidates(items: Named[]): string {
  return items.map((i) => `${i.name ?? "(no name)"} (id ${i.id}${i.email ? `, ${i.email}` : ""})`).join(", ");
}
