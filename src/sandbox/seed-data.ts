/**
 * Deterministic demo data: a small support team, its customers, and a month of chats with
 * realistic conversations. Same seed → same data; every time is relative to `now`.
 *
 * Shape of the queue, by design:
 * - statuses drawn from fixed shares (STATUS_SHARES, about 61 % open), so 900 chats give ≥ 500 open;
 * - the SPOTLIGHT chats (first five by lastCustomerMessageAt desc among open chats) are unassigned,
 *   unread, with a clear problem and the customer waiting 1–4 hours; every other open chat's
 *   customer last spoke longer ago (≥ SPOTLIGHT_MAX_WAIT_MIN);
 * - three prompt-injection chats (INJECTION_CUSTOMERS), open and unassigned;
 * - some open chats are unread or unassigned, on-hold and pending ones snoozed (some already due); closed chats
 *   carry ratings (one in nine the undocumented "perfect"), a few carry multi-KB messages;
 * - chat ids grow with createdAt, as HelpCrunch's do; message ids grow within each chat.
 */
import { BUMPS, CHECK_INS, INJECTION_CUSTOMERS, longLog, SIGN_OFFS, SPOTLIGHT_SCRIPTS, TOPICS, type Topic } from "./seed-conversations.js";
import { addChat, addMessage, type SandboxState, type StoredChat, type StoredCustomer, type StoredMessage, TrackedMap } from "./state.js";

export { INJECTION_CUSTOMERS, SPOTLIGHT_SCRIPTS, TOPICS } from "./seed-conversations.js";

/** mulberry32: tiny, fast, good enough for demo data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two Priyas on purpose: a name lookup by "Priya" must be ambiguous. HelpBot is the chatbot. */
export const AGENTS = [
  { id: 1, name: "Priya Patel", email: "priya.patel@acme-support.io", role: "admin" },
  { id: 2, name: "Priya Shah", email: "priya.shah@acme-support.io", role: "agent" },
  { id: 3, name: "Marcus Chen", email: "marcus.chen@acme-support.io", role: "superviser" },
  { id: 4, name: "Sofia García", email: "sofia.garcia@acme-support.io", role: "agent" },
  { id: 5, name: "Tom Becker", email: "tom.becker@acme-support.io", role: "agent" },
  { id: 6, name: "Aisha Okafor", email: "aisha.okafor@acme-support.io", role: "agentChatOnly" },
  { id: 7, name: "Liam O'Brien", email: "liam.obrien@acme-support.io", role: "agent" },
  { id: 8, name: "Yuki Tanaka", email: "yuki.tanaka@acme-support.io", role: "agentChatOnly" },
  { id: 9, name: "HelpBot", email: "bot@acme-support.io", role: "agent" },
] as const;

export const HELPBOT_ID = 9;

export const DEPARTMENTS = [
  { id: 1, name: "Billing", agentIds: [1, 4, 5] },
  { id: 2, name: "Technical Support", agentIds: [3, 5, 7, 8] },
  { id: 3, name: "Sales", agentIds: [2, 6] },
  { id: 4, name: "Shipping", agentIds: [4, 6, 7] },
  { id: 5, name: "Onboarding", agentIds: [2, 3] },
] as const;

export const APPLICATIONS = [
  { id: 1, name: "acme.io website widget", type: "website" },
  { id: 2, name: "Acme mobile app", type: "ios" },
] as const;

export const FIRST_CUSTOMER_ID = 4_000;
export const FIRST_CHAT_ID = 5_215_700;
export const FIRST_MESSAGE_ID = 90_000_000;
/** Customers are at least this many, or half the chat count. The first ones are INJECTION_CUSTOMERS. */
export const MIN_CUSTOMERS = 160;

/** Shares of the non-special chats per status, in percent (open: 61). */
export const STATUS_SHARES: Record<string, number> = {
  new: 14,
  opened: 26,
  pending: 12,
  onhold: 9,
  closed: 27,
  "no communication": 7,
  empty: 5,
};

/** Spotlight customers have waited between about 1 h 15 m and 3 h 40 m; everyone else longer. */
export const SPOTLIGHT_WAITS_MIN = [76, 103, 131, 167, 214];
export const SPOTLIGHT_MAX_WAIT_MIN = 240;

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;

const FIRST = [
  "Mike",
  "Anna",
  "Jonas",
  "Fatima",
  "Carlos",
  "Emily",
  "Raj",
  "Olga",
  "Kwame",
  "Lucia",
  "Ben",
  "Hana",
  "Diego",
  "Sara",
  "Ivan",
  "Chloe",
  "Omar",
  "Mei",
  "Noah",
  "Zoe",
  "Grace",
  "Mateo",
  "Ingrid",
  "Tariq",
];
const LAST = [
  "Storm",
  "Müller",
  "Silva",
  "Kowalski",
  "Nguyen",
  "Johnson",
  "Rossi",
  "Haddad",
  "Novak",
  "Kim",
  "Dubois",
  "Andersen",
  "Costa",
  "Ito",
  "Brown",
  "Walsh",
  "Mensah",
  "Lindqvist",
];
const MAIL_DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "example.com"];
const COMPANIES = ["Brightleaf", "Nordwind GmbH", "Pixel & Co", "Tidewater", "Orbit Labs", null, null, null];
const TAGS = ["VIP", "Lead", "Trial", "Enterprise", "Churn risk"];
const TAG_COLORS = ["#e8505b", "#f9a825", "#43a047", "#1e88e5", "#8e24aa"];
const PLANS = ["free", "pro", "enterprise"];
const RATINGS = ["great", "great", "average", "great", "poor", "great", "average", "great"];

type Random = () => number;

/** Seeded helpers, so every choice below reads as what it picks. */
export function chooser(random: Random) {
  return {
    random,
    chance: (p: number) => random() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T,
    between: (min: number, max: number) => min + Math.floor(random() * (max - min + 1)),
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [items[i], items[j]] = [items[j] as T, items[i] as T];
      }
      return items;
    },
  };
}
export type Chooser = ReturnType<typeof chooser>;

export interface SeedOptions {
  seed: number;
  chatCount: number;
  now: number;
}

export function seedState(options: SeedOptions): SandboxState {
  const c = chooser(prng(options.seed));
  const state = emptyState(new Map());
  const customers = seedCustomers(c, customerCount(options.chatCount), options.now);
  for (const customer of customers) state.customers.set(customer.id, customer);

  const plans = planChats(c, customers, options);
  // HelpCrunch's ids grow with time; plans are stored oldest first so ours do too.
  plans.sort((a, b) => a.createdAt - b.createdAt);
  for (const plan of plans) storeChat(state, plan, options.now);
  return state;
}

/** Customers for `chatCount` chats: about two chats each, never fewer than MIN_CUSTOMERS. */
export const customerCount = (chatCount: number) => Math.max(MIN_CUSTOMERS, Math.ceil(chatCount / 2));

/** The team, the workspace and no chats or customers yet; `messages` is where the chats' messages will live. */
export function emptyState(messages: Map<number, StoredMessage[]>): SandboxState {
  return {
    agents: new Map(AGENTS.map((a) => [a.id, { ...a }])),
    departments: new Map(DEPARTMENTS.map((d) => [d.id, { ...d, agentIds: [...d.agentIds] }])),
    applications: new Map(APPLICATIONS.map((a) => [a.id, { ...a }])),
    customers: new TrackedMap(),
    tagColors: new Map(TAGS.map((name, i) => [name, TAG_COLORS[i % TAG_COLORS.length] as string])),
    organization: { id: 1, domain: "acme", teamOnline: true, chatEnabled: true },
    chats: new TrackedMap(),
    messages,
    nextChatId: FIRST_CHAT_ID,
    nextMessageId: FIRST_MESSAGE_ID,
  };
}

export function seedCustomers(c: Chooser, count: number, now: number): StoredCustomer[] {
  const usedEmails = new Set<string>();
  return Array.from({ length: count }, (_, i) => {
    const id = FIRST_CUSTOMER_ID + i;
    const injection = INJECTION_CUSTOMERS[i];
    const first = c.pick(FIRST);
    const last = c.pick(LAST);
    // Visitors who never said who they are: no name (and mostly no email), no userId.
    const anonymous = c.chance(0.06);
    const emailOnly = !anonymous && c.chance(0.05);
    let email: string | null =
      `${first}.${last}`
        .toLowerCase()
        .normalize("NFD")
        .replace(/[^a-z.]/g, "") + `@${c.pick(MAIL_DOMAINS)}`;
    if (usedEmails.has(email)) email = email.replace("@", `${i}@`);
    usedEmails.add(email);
    if (anonymous && c.chance(0.7)) email = null;
    const firstSeen = now - c.between(1, 400) * DAY;
    return {
      id,
      name: injection?.name ?? (anonymous || emailOnly ? null : `${first} ${last}`),
      email: injection?.email ?? email,
      userId: !anonymous && c.chance(0.7) ? `usr_${(1_000_003 * (i + 7)).toString(36)}` : null,
      company: c.pick(COMPANIES),
      firstSeen,
      lastSeen: Math.max(firstSeen, now - c.between(60, 30 * 1_440) * MINUTE),
      tags: c.shuffle([...TAGS]).slice(0, c.pick([0, 0, 1, 1, 2])),
      // Derived from the id, not drawn: the seeded chats stay what they were before these fields.
      phone: id % 3 === 0 ? `+1 555 01${String(id % 100).padStart(2, "0")}` : null,
      customData:
        id % 4 === 0
          ? {}
          : ({ plan: PLANS[id % 3] as string, seats: (id * 7) % 50, beta: id % 2 === 0 } as Record<string, string | number | boolean>),
    };
  });
}

/** One line of a conversation before it has a time. */
interface Turn {
  from: "customer" | "agent";
  type: string;
  text: string;
  agentId: number | null;
  broadcastType?: string;
  /** Minutes after the previous turn. */
  gap: number;
}

export interface ChatPlan {
  status: string;
  customerId: number;
  applicationId: number;
  assigneeId: number | null;
  departmentId: number | null;
  createdWith: string;
  createdAt: number;
  turns: Turn[];
  /** Time of the last turn. */
  endAt: number;
  readByAgent: boolean;
  snoozedUntil: number | null;
  closing: { after: number; by: "agent" | "customer"; rating: string | null } | null;
}

/** Every chat's plan: spotlight, injection, then the rest by status shares. */
function planChats(c: Chooser, customers: StoredCustomer[], options: SeedOptions): ChatPlan[] {
  const { now, chatCount } = options;
  const plans: ChatPlan[] = [];
  const named = namedCustomers(customers);
  for (let i = 0; i < Math.min(SPOTLIGHT_SCRIPTS.length, chatCount); i++) plans.push(spotlightPlan(c, i, named, now));
  for (let i = 0; i < Math.min(INJECTION_CUSTOMERS.length, chatCount - plans.length); i++) plans.push(injectionPlan(c, i, now));

  const statuses = statusQuota(c, chatCount - plans.length);
  // Per run, not per module: the same seed must give the same data in every sandbox.
  const tally = { longLogs: 0, ratings: 0 };
  const maxLongLogs = 2 + Math.floor(chatCount / 400);
  statuses.forEach((status, i) => {
    // A couple of chats (more with more data) carry a multi-KB pasted log.
    const withLongLog = status !== "empty" && status !== "new" && tally.longLogs < maxLongLogs && i % 5 === 3;
    if (withLongLog) tally.longLogs++;
    plans.push(ordinaryPlan(c, status, i, { customers, withLongLog, now, tally }));
  });
  return plans;
}

/** Customers a spotlight chat may belong to: named, and not one of the injection customers. */
export const namedCustomers = (customers: StoredCustomer[]) =>
  customers.filter((customer, i) => i >= INJECTION_CUSTOMERS.length && customer.name !== null);

/** The i-th spotlight chat: a clear problem, unassigned, its customer waiting SPOTLIGHT_WAITS_MIN[i]. */
export function spotlightPlan(c: Chooser, i: number, named: StoredCustomer[], now: number): ChatPlan {
  const script = SPOTLIGHT_SCRIPTS[i] as (typeof SPOTLIGHT_SCRIPTS)[number];
  const turns = script.lines.map((text, n) => customerTurn(text, n === 0 ? 0 : c.between(4, 18)));
  const wait = (SPOTLIGHT_WAITS_MIN[i] as number) + c.between(-3, 3);
  return planEndingAt(
    c,
    { status: "new", customerId: (c.pick(named) as StoredCustomer).id, departmentId: script.department, assigneeId: null },
    turns,
    now - wait * MINUTE,
    false,
  );
}

/** The i-th injection chat, open and unassigned, waiting longer than any spotlight chat. */
export function injectionPlan(c: Chooser, i: number, now: number): ChatPlan {
  const injection = INJECTION_CUSTOMERS[i] as (typeof INJECTION_CUSTOMERS)[number];
  const topic = c.pick(TOPICS);
  // The injection is the last message, so it also reaches lastMessageText and every summary.
  const turns = [
    customerTurn(c.pick(topic.openers), 0),
    customerTurn(c.pick(topic.details), c.between(2, 6)),
    customerTurn(injection.text, c.between(10, 40)),
  ];
  const wait = SPOTLIGHT_MAX_WAIT_MIN + 60 * (i + 2) + c.between(0, 50);
  return planEndingAt(
    c,
    { status: "new", customerId: FIRST_CUSTOMER_ID + i, departmentId: topic.department, assigneeId: null },
    turns,
    now - wait * MINUTE,
    false,
  );
}

export interface OrdinaryContext {
  customers: StoredCustomer[];
  withLongLog: boolean;
  now: number;
  tally: { ratings: number };
}

/** A chat of `status` on a random topic, customer and team member; `i` is its place among the ordinary chats. */
export function ordinaryPlan(c: Chooser, status: string, i: number, { customers, withLongLog, now, tally }: OrdinaryContext): ChatPlan {
  const topic = c.pick(TOPICS);
  const departmentId = c.chance(0.92) ? topic.department : null;
  const team = DEPARTMENTS.find((d) => d.id === topic.department)?.agentIds ?? [1];
  const assigneeId = c.chance(unassignedShare(status)) ? null : c.pick(team);
  const agentId = assigneeId ?? c.pick(team);
  const customerId = (customers[c.between(INJECTION_CUSTOMERS.length, customers.length - 1)] as StoredCustomer).id;
  const basics = { status, customerId, departmentId, assigneeId, createdWith: createdWith(c, i) };
  return planByStatus(c, basics, { topic, agentId, withLongLog, now, tally });
}

/** Exactly the shares of STATUS_SHARES (rounding goes to `opened`), in a seeded order. */
function statusQuota(c: Chooser, count: number): string[] {
  const list = Object.entries(STATUS_SHARES).flatMap(([status, share]) => Array<string>(Math.floor((count * share) / 100)).fill(status));
  while (list.length < count) list.push("opened");
  return c.shuffle(list);
}

const unassignedShare = (status: string) => ({ new: 0.75, empty: 0.5, closed: 0.05, "no communication": 0.2 })[status] ?? 0.12;

/** Mostly widget chats; now and then an enum value the docs never list. */
function createdWith(c: Chooser, i: number): string {
  if (i % 37 === 5) return "whatsapp_message";
  return c.pick([
    "customer_message",
    "customer_message",
    "customer_message",
    "customer_message",
    "customer_message",
    "agent_message",
    "broadcast_reply",
    "public_api",
  ]);
}

/** From the first turn to the last. */
const spanMs = (turns: Turn[]) => turns.reduce((sum, t) => sum + t.gap, 0) * MINUTE;

const customerTurn = (text: string, gap: number, type = "message"): Turn => ({ from: "customer", type, text, agentId: null, gap });
const agentTurn = (agentId: number, text: string, gap: number, type = "message"): Turn => ({ from: "agent", type, text, agentId, gap });

type Basics = Pick<ChatPlan, "status" | "customerId" | "departmentId" | "assigneeId"> & { createdWith?: string };

/** A chat whose last turn is at `endAt`, open until closedPlan says otherwise. */
function planEndingAt(c: Chooser, basics: Basics, turns: Turn[], endAt: number, readByAgent: boolean): ChatPlan {
  return {
    applicationId: c.chance(0.8) ? 1 : 2,
    createdWith: "customer_message",
    ...basics,
    createdAt: endAt - spanMs(turns) - c.between(5, 90) * 1_000,
    turns,
    endAt,
    readByAgent,
    snoozedUntil: null,
    closing: null,
  };
}

interface PlanContext {
  topic: Topic;
  /** Who answers: the assignee, or a team member for chats without one. */
  agentId: number;
  withLongLog: boolean;
  now: number;
  /** Rated chats so far: every ninth rating is the undocumented "perfect". */
  tally: { ratings: number };
}

/** The conversation and timing a chat of this status has. */
function planByStatus(c: Chooser, basics: Required<Basics>, { topic, agentId, withLongLog, now, tally }: PlanContext): ChatPlan {
  const { status } = basics;
  if (status === "empty") {
    const createdAt = now - c.between(10, 30 * 1_440 - 10) * MINUTE;
    return { ...planEndingAt(c, { ...basics, createdWith: c.pick(["public_api", "agent_message"]) }, [], createdAt, true), createdAt };
  }
  const turns: Turn[] = [customerTurn(c.pick(topic.openers), 0)];
  if (withLongLog) turns.push(customerTurn(longLog(c.between(40, 70)), 1));
  else if (status === "new" || c.chance(0.6)) turns.push(customerTurn(c.pick(topic.details), c.between(1, 4)));

  if (status === "new") {
    if (c.chance(0.4))
      turns.push({
        ...agentTurn(
          HELPBOT_ID,
          `While you wait, this article might help: <a href="${topic.article.url}">${topic.article.title}</a>`,
          1,
          "knowledgeBase",
        ),
        broadcastType: "auto chat",
      });
    if (basics.assigneeId !== null) turns.push(agentTurn(basics.assigneeId, `Chat assigned to ${agentName(basics.assigneeId)}`, 1, "tech"));
    turns.push(customerTurn(c.pick(BUMPS), c.between(8, 45)));
    return planEndingAt(c, basics, turns, now - openWait(c), c.chance(0.25));
  }

  turns.push(agentTurn(agentId, `Chat assigned to ${agentName(agentId)}`, c.between(1, 30), "tech"));
  turns.push(agentTurn(agentId, c.pick(topic.replies), c.between(1, 12)));
  if (c.chance(0.3)) turns.push(agentTurn(agentId, c.pick(topic.notes), c.between(1, 5), "private"));
  if (status === "no communication") {
    turns.push(agentTurn(agentId, c.pick(CHECK_INS), c.between(15, 60)));
    return closedPlan(c, basics, turns, now, null);
  }

  const followUps = c.shuffle([...topic.followUps]);
  const replies = c.shuffle([...topic.replies]);
  const rounds = c.between(1, Math.min(3, followUps.length));
  for (let r = 0; r < rounds; r++) {
    // Now and then the customer answers from their mailbox: type "email".
    turns.push(customerTurn(followUps[r] as string, c.between(3, 40), c.chance(0.05) ? "email" : "message"));
    const last = r === rounds - 1;
    // Opened chats often end on the customer (a reply is owed); the others end on the agent.
    if (!last || status !== "opened" || c.chance(0.4))
      turns.push(agentTurn(agentId, replies[r % replies.length] as string, c.between(2, 25)));
  }
  if (status === "onhold") turns.push(agentTurn(agentId, c.pick(topic.holds), c.between(2, 15)));
  if (status === "closed") {
    turns.push(customerTurn(c.pick(topic.closings), c.between(2, 30)));
    turns.push(agentTurn(agentId, c.pick(SIGN_OFFS), c.between(1, 5)));
    const rating = c.chance(0.6) ? (tally.ratings++ % 9 === 4 ? "perfect" : c.pick(RATINGS)) : null;
    return closedPlan(c, basics, turns, now, rating);
  }

  const customerLast = turns.at(-1)?.from === "customer";
  const plan = planEndingAt(c, basics, turns.slice(0, 12), now - openWait(c), !customerLast || c.chance(0.4));
  // Agents snooze chats they parked: on hold mostly, pending sometimes, opened ones not.
  if (c.chance(SNOOZE_SHARE[status] ?? 0)) {
    // About a third of snoozes are already due: they are back in the queue and nobody looked yet.
    plan.snoozedUntil = now + (c.chance(0.35) ? -c.between(10, 600) : c.between(30, 3 * 1_440)) * MINUTE;
  }
  return plan;
}

/** A finished chat, ended somewhere in the last 30 days; only `closed` ones get closedAt and a rating. */
function closedPlan(c: Chooser, basics: Required<Basics>, turns: Turn[], now: number, rating: string | null): ChatPlan {
  const plan = planEndingAt(c, basics, turns.slice(0, 12), now - c.between(60, 29 * 1_440) * MINUTE, true);
  plan.closing = basics.status === "closed" ? { after: c.between(1, 20), by: c.chance(0.8) ? "agent" : "customer", rating } : null;
  return plan;
}

const SNOOZE_SHARE: Record<string, number> = { onhold: 0.6, pending: 0.2 };

/** How long ago a non-spotlight open chat's last turn was: always longer than any spotlight wait. */
const openWait = (c: Chooser) => (SPOTLIGHT_MAX_WAIT_MIN + 20 + Math.floor(c.random() ** 2 * 5_500)) * MINUTE;

const agentName = (id: number) => AGENTS.find((a) => a.id === id)?.name ?? "an agent";

/** A planned message before it is stored: everything but its id and chat. */
export type PlannedMessage = Omit<StoredMessage, "id" | "chatId">;

/** A plan's conversation at its times (with milliseconds, so times read like "1594139170.913"), oldest first. */
export function plannedMessages(plan: ChatPlan): PlannedMessage[] {
  let at = plan.endAt - spanMs(plan.turns);
  return plan.turns.map((turn, i) => {
    at += turn.gap * MINUTE;
    const createdAt = at + ((plan.customerId * 31 + i * 977) % 1_000);
    const { from, type, text, agentId, broadcastType } = turn;
    return broadcastType === undefined
      ? { from, type, text, agentId, createdAt, read: true }
      : { from, type, text, agentId, broadcastType, createdAt, read: true };
  });
}

/** The chat a plan describes, with no messages yet. */
export const chatOf = (state: SandboxState, plan: ChatPlan): StoredChat =>
  addChat(state, {
    status: plan.status,
    customerId: plan.customerId,
    applicationId: plan.applicationId,
    assigneeId: plan.assigneeId,
    departmentId: plan.departmentId,
    createdAt: plan.createdAt,
    createdWith: plan.createdWith,
  });

/** Stores a planned chat: messages at their times, then the final status fields. */
function storeChat(state: SandboxState, plan: ChatPlan, now: number): StoredChat {
  const chat = chatOf(state, plan);
  for (const message of plannedMessages(plan)) addMessage(state, chat, message);
  finishChat(state, chat, plan, now);
  if (!plan.readByAgent) markUnreadTail(state.messages.get(chat.id) ?? []);
  return chat;
}

/** After the replay: seeding replays history, so the status is the planned one, not what the replayed messages imply. */
export function finishChat(state: SandboxState, chat: StoredChat, plan: ChatPlan, now: number): void {
  chat.status = plan.status;
  chat.readByAgent = plan.readByAgent;
  chat.snoozedUntil = plan.snoozedUntil;
  if (plan.closing) {
    chat.closedAt = Math.min(plan.endAt + plan.closing.after * MINUTE, now - MINUTE);
    chat.closedBy = plan.closing.by;
    chat.rating = plan.closing.rating;
    chat.updatedAt = chat.closedAt;
  }
  const customer = state.customers.get(plan.customerId);
  if (customer && chat.lastCustomerMessageAt !== null) customer.lastSeen = Math.max(customer.lastSeen, chat.lastCustomerMessageAt);
}

/** In an unread chat, the customer's messages since the last agent line are unread. */
export function markUnreadTail(messages: StoredMessage[]): void {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as StoredMessage;
    if (message.from !== "customer") return;
    message.read = false;
  }
}
