/**
 * The three MCP Apps views in headless Chromium, inside a host built on ext-apps' AppBridge and
 * connected to the built server (test/helpers/apps-host.ts). What reached HelpCrunch is read from
 * the sandbox's request log. With HELPCRUNCH_SCREENSHOTS=1 the run also writes the README's
 * screenshots (docs/screenshots/<view>-<theme>.png).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/client";
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, type StoredChat, startSandbox } from "../../src/sandbox/index.js";
import { chatStats } from "../../src/tools/chat_stats.js";
import { sendMessage } from "../../src/tools/send_message.js";
import { triageQueue } from "../../src/tools/triage_queue.js";
import { packageRoot } from "../../src/version.js";
import { APPROVAL_META_KEY, type AppsHost, chromiumMissing, startAppsHost } from "../helpers/apps-host.js";
import { parsed } from "../helpers/typed-call.js";

let sandbox: SandboxHandle;
let host: AppsHost;
let agentId: number;
const pages: Page[] = [];
const SCREENSHOTS = process.env.HELPCRUNCH_SCREENSHOTS === "1" ? join(packageRoot(), "docs", "screenshots") : undefined;
/** What the hostile name's handlers would set, read in the view's own window. */
const PWNED = (body: { ownerDocument: { defaultView: unknown } }) => (body.ownerDocument.defaultView as { pwned?: number }).pwned;
const HOSTILE_NAME = 'Mallory <img src=x onerror="window.pwned=1"><script>window.pwned=2</script>\nSecond line';

/** The hostile name reads as its own text in `name`, no element of it exists under `injected`, and none of its handlers ran. */
async function expectNameAsText(frame: FrameLocator, name: string, injected: string): Promise<void> {
  const shown = frame.locator(name).first();
  await expect
    .poll(() => shown.textContent())
    .toBe('Mallory <img src=x onerror="window.pwned=1"><script>window.pwned=2</script> Second line');
  expect(await frame.locator(injected).count()).toBe(0);
  expect(await frame.locator("body").evaluate(PWNED)).toBeUndefined();
}

beforeAll(async () => {
  if (chromiumMissing) return;
  sandbox = await startSandbox({ seed: 11 });
  agentId = [...sandbox.state.agents.values()][0]?.id as number;
  host = await startAppsHost({
    HELPCRUNCH_BASE_URL: sandbox.url,
    HELPCRUNCH_API_KEY: sandbox.apiKey,
    HELPCRUNCH_DEFAULT_AGENT: String(agentId),
    HELPCRUNCH_SLA_FIRST_REPLY: "30m",
    HELPCRUNCH_SLA_NEXT_REPLY: "1h",
    HELPCRUNCH_TIMEZONE: "Europe/Berlin",
    // The team-numbers tests read month-long windows, each view a second chat_stats call: more than the default 120 a minute.
    HELPCRUNCH_RATE_LIMIT_PER_MINUTE: "600",
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(pages.map((p) => p.close()));
  await host?.close();
  await sandbox?.stop();
});

async function open(
  view: "reply" | "queue" | "stats",
  toolInput: Record<string, unknown>,
  toolResult: CallToolResult,
  theme: "light" | "dark" = "light",
) {
  const opened = await host.open(view, { toolInput, toolResult, theme });
  pages.push(opened.page);
  return opened;
}

async function screenshot(page: Page, name: string): Promise<void> {
  const shot = await page.locator("iframe").screenshot({ ...(SCREENSHOTS ? { path: join(SCREENSHOTS, `${name}.png`) } : {}) });
  expect(shot.byteLength).toBeGreaterThan(1_000);
}

const openChat = () => [...sandbox.state.chats.values()].find((c) => ["new", "opened"].includes(c.status)) as StoredChat;
const messagePosts = () => sandbox.requests.filter((r) => r.method === "POST" && r.path === "/messages");

async function draft(chat: StoredChat, text: string): Promise<CallToolResult> {
  const result = await host.call("send_message", { chat_id: chat.id, text });
  expect(result.isError).toBeFalsy();
  return result;
}

describe.skipIf(Boolean(chromiumMissing))("the reply approval card", () => {
  beforeAll(() => {
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
  });

  it("shows the whole draft, and the customer's name and email on one line each", async () => {
    const chat = openChat();
    const customer = sandbox.state.customers.get(chat.customerId);
    if (customer) customer.name = "Mallory\nSecond line";
    const text = "Hello!\n\nYour refund of 42 EUR was issued today.\nIt takes 3–5 days to arrive.\n\n— Support";
    const result = await draft(chat, text);
    const { frame, page } = await open("reply", { chat_id: chat.id, text }, result);
    await expect.poll(() => frame.locator("#reply-text").inputValue()).toBe(text);
    const name = frame.locator(".field .customer").first();
    expect(await name.textContent()).toBe("Mallory Second line");
    expect(await name.evaluate((e) => e.getClientRects().length)).toBe(1);
    expect(await frame.locator(".field").filter({ hasText: "Email" }).locator(".badge").textContent()).toBe("customer-written");
    expect(messagePosts()).toHaveLength(0);
    await screenshot(page, "reply-light");
    const dark = await open("reply", { chat_id: chat.id, text }, result, "dark");
    await dark.frame.locator("#reply-text").waitFor();
    await screenshot(dark.page, "reply-dark");
  });

  it("renders a customer name with HTML or script as text, even one the server did not strip", async () => {
    // The server strips tags from names; the card must not rely on it: this result carries the raw name.
    const result = await draft(openChat(), "Hi");
    const structured = parsed(sendMessage, result);
    const hostile = {
      ...result,
      structuredContent: { ...structured, draft: { ...structured.draft, customer: { ...structured.draft?.customer, name: HOSTILE_NAME } } },
    };
    const { frame } = await open("reply", {}, hostile);
    await expectNameAsText(frame, ".field .customer", "img, main script");
  });

  it("posts exactly the edited text once; a second Send with the same token posts nothing", async () => {
    const chat = openChat();
    const result = await draft(chat, "Draft written by the model");
    const { frame } = await open("reply", {}, result);
    const before = messagePosts().length;
    await frame.locator("#reply-text").fill("Edited by a person\nwith a second line");
    await frame.locator("#send").click();
    await expect
      .poll(() => frame.locator(".status").textContent())
      .toMatch(/^Sent to chat #\d+ \(message \d+\), as edited by the person\.$/);
    expect(await frame.locator("#send").isDisabled()).toBe(true);
    const posted = messagePosts().slice(before);
    expect(posted.map((r) => r.body)).toEqual([
      { chat: chat.id, text: "Edited by a person\nwith a second line", agent: agentId, type: "message" },
    ]);
    const token = (result._meta?.[APPROVAL_META_KEY] as { token: string }).token;
    const again = await host.call("send_approved_reply", { token, text: "Edited by a person\nwith a second line" });
    expect(again.isError).toBe(true);
    expect(messagePosts().length).toBe(before + 1);
  });

  it("works from the keyboard: Tab from the field reaches Send, and Enter sends", async () => {
    const chat = openChat();
    const { frame, page } = await open("reply", {}, await draft(chat, "Sent from the keyboard"));
    const before = messagePosts().length;
    await frame.locator("#reply-text").focus();
    await page.keyboard.press("Tab");
    expect(await frame.locator("#send").evaluate((b) => b.ownerDocument.activeElement === b)).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(() => messagePosts().length).toBe(before + 1);
    expect(await frame.locator("label[for=reply-text]").textContent()).toMatch(/Message to the customer/);
  });

  it("Discard and a forged token post nothing, and the card says so", async () => {
    const chat = openChat();
    const before = messagePosts().length;
    const discarded = await open("reply", {}, await draft(chat, "Something to discard"));
    await discarded.frame.locator("#discard").click();
    await expect.poll(() => discarded.frame.locator(".status").textContent()).toBe("Discarded: nothing was sent to the customer.");
    const genuine = await draft(chat, "Something with a forged token");
    const forged = { ...genuine, _meta: { [APPROVAL_META_KEY]: { token: "F".repeat(43), text: "Something with a forged token" } } };
    const card = await open("reply", {}, forged);
    await card.frame.locator("#send").click();
    await expect.poll(() => card.frame.locator(".status.error").textContent()).toMatch(/^Nothing was sent/);
    expect(messagePosts().length).toBe(before);
  });
});

describe.skipIf(Boolean(chromiumMissing))("the queue board", () => {
  const rowIds = (frame: FrameLocator) =>
    frame.locator("li.chat").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-chat-id"))));
  /** A row's actions, opened with its Actions button (a row is one dense line until then). */
  const actionsOf = async (frame: FrameLocator, id: number) => {
    const row = frame.locator(`li.chat[data-chat-id="${id}"]`);
    const toggle = row.locator('button[data-action="more"]');
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    return row.locator(".panel");
  };

  it("shows one dense row per chat: twenty fit in a 1,000-pixel-high view", async () => {
    const result = await host.call("triage_queue", { limit: 20 });
    expect(parsed(triageQueue, result).chats).toHaveLength(20);
    const { frame } = await open("queue", { limit: 20 }, result);
    await expect.poll(() => frame.locator("li.chat").count()).toBe(20);
    const bottom = await frame
      .locator("li.chat")
      .nth(19)
      .evaluate((li) => li.getBoundingClientRect().bottom + (li.ownerDocument.defaultView?.scrollY ?? 0));
    expect(bottom).toBeLessThanOrEqual(1_000);
    // Each row still says what triage needs: the chat, its status, customer, owner and department.
    const first = frame.locator("li.chat").first();
    expect(await first.locator(".row strong").textContent()).toMatch(/^#\d+$/);
    expect(await first.locator(".row .pill").first().textContent()).toMatch(/^\w+$/);
    expect(await first.locator(".row .customer").count()).toBe(1);
    expect(await first.locator(".row .who").textContent()).toMatch(/ · /);
  });

  it("lists the chats of triage_queue in its order, and an assign click changes that chat", async () => {
    const result = await host.call("triage_queue", { limit: 6 });
    const expected = parsed(triageQueue, result).chats.map((c) => c.id);
    expect(expected.length).toBeGreaterThan(3);
    const { frame, page } = await open("queue", { limit: 6 }, result);
    await expect.poll(() => rowIds(frame)).toEqual(expected);
    await expect.poll(() => frame.locator("#filter-assignee option").count()).toBeGreaterThan(2);
    const target = expected[0] as number;
    const agent = [...sandbox.state.agents.values()].find((a) => a.id !== sandbox.state.chats.get(target)?.assigneeId);
    const row = await actionsOf(frame, target);
    await row.locator("select").selectOption(String(agent?.id));
    await row.locator('button[data-action="assign"]').click();
    await expect.poll(() => sandbox.state.chats.get(target)?.assigneeId).toBe(agent?.id);
    await expect.poll(() => frame.locator(`li.chat[data-chat-id="${target}"] .status`).textContent()).toMatch(/assignee/);
    await screenshot(page, "queue-light");
    const dark = await open("queue", { limit: 6 }, await host.call("triage_queue", { limit: 6 }), "dark");
    await expect.poll(() => rowIds(dark.frame)).not.toEqual([]);
    await screenshot(dark.page, "queue-dark");
  });

  it("row actions: assign to me, snooze until 9:00 tomorrow in HELPCRUNCH_TIMEZONE, pending; and a department filter", async () => {
    const { frame } = await open("queue", { limit: 6 }, await host.call("triage_queue", { limit: 6 }));
    await expect.poll(() => frame.locator("#filter-department option").count()).toBeGreaterThan(1);
    const [mine, snoozed, pending] = (await rowIds(frame)) as [number, number, number];
    const row = (id: number) => actionsOf(frame, id);
    await (await row(mine)).locator("select").selectOption(`me:${agentId}`);
    await (await row(mine)).locator('button[data-action="assign"]').click();
    await expect.poll(() => sandbox.state.chats.get(mine)?.assigneeId).toBe(agentId);
    await (await row(snoozed)).locator('button[data-action="snooze-tomorrow"]').click();
    await expect.poll(() => sandbox.state.chats.get(snoozed)?.snoozedUntil ?? null).not.toBeNull();
    const until = sandbox.state.chats.get(snoozed)?.snoozedUntil as number;
    const berlin = (ms: number, part: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", ...part }).format(ms);
    expect(berlin(until, { hour: "2-digit", minute: "2-digit" })).toBe("09:00");
    expect(berlin(until, { dateStyle: "short" })).toBe(
      berlin(Date.parse(`${new Date().toLocaleDateString("en-CA", { timeZone: "Europe/Berlin" })}T12:00:00Z`) + 86_400_000, {
        dateStyle: "short",
      }),
    );
    await (await row(pending)).locator('button[data-action="pending"]').click();
    await expect.poll(() => sandbox.state.chats.get(pending)?.status).toBe("pending");
    await expect.poll(async () => (await row(pending)).locator(".status").textContent()).toMatch(/status/);
    const department = [...sandbox.state.departments.values()][0]?.id as number;
    await frame.locator("#filter-department").selectOption(String(department));
    const filtered = await host.call("triage_queue", { limit: 20, department });
    const expected = parsed(triageQueue, filtered).chats.map((c) => c.id);
    await expect.poll(() => rowIds(frame)).toEqual(expected);
  });

  it("a customer name with HTML or script renders as text on the board", async () => {
    // The server strips tags from names; the board must not rely on it: this result carries the raw name.
    const result = await host.call("triage_queue", { limit: 5 });
    const structured = parsed(triageQueue, result);
    const [first, ...rest] = structured.chats;
    const hostile = {
      ...result,
      structuredContent: { ...structured, chats: [{ ...first, customer: { id: 1, name: HOSTILE_NAME } }, ...rest] },
    };
    const { frame } = await open("queue", { limit: 5 }, hostile);
    await expectNameAsText(frame, "li.chat .customer", "li.chat img, li.chat script");
  });

  it("reads at 360 px without horizontal scrolling", async () => {
    const result = await host.call("triage_queue", { limit: 5 });
    const opened = await host.open("queue", { toolInput: { limit: 5 }, toolResult: result, width: 360 });
    pages.push(opened.page);
    await opened.frame.locator("li.chat").first().waitFor();
    const overflow = await opened.frame
      .locator("body")
      .evaluate((body) => body.ownerDocument.documentElement.scrollWidth - body.ownerDocument.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

/** The calendar date in the server's HELPCRUNCH_TIMEZONE (Europe/Berlin). */
const berlinDay = (ms: number) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(ms);
/** `count` calendar dates from `first` on. */
const datesFrom = (first: string, count: number) =>
  Array.from({ length: count }, (_, i) => new Date(Date.parse(`${first}T12:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));

describe.skipIf(Boolean(chromiumMissing))("team numbers", () => {
  it("the chart and the table show chat_stats' numbers", async () => {
    const input = { from: "7d", group_by: "day" };
    const result = await host.call("chat_stats", input);
    const { groups, window } = parsed(chatStats, result);
    // Every day the window touches, one slot each; a day chat_stats does not list had no chats.
    const first = berlinDay(window.from * 1000);
    const count = (Date.parse(berlinDay(window.to * 1000 - 1)) - Date.parse(first)) / 86_400_000 + 1;
    const byKey = new Map(groups.map((g) => [g.key, g]));
    const days = datesFrom(first, count).map((d) => byKey.get(`day:${d}`) ?? { key: `day:${d}`, created: 0, closed: 0 });
    const { frame, page } = await open("stats", input, result);
    await frame.locator("rect.bar.created").first().waitFor();
    const bars = await frame
      .locator("rect.bar")
      .evaluateAll((rects) =>
        rects.map((r) => [r.getAttribute("data-day"), r.getAttribute("data-kind"), Number(r.getAttribute("data-value"))]),
      );
    expect(bars).toEqual(
      days.flatMap((d) => [
        [d.key, "created", d.created],
        [d.key, "closed", d.closed],
      ]),
    );
    const agents = await host.call("chat_stats", {
      from: new Date(window.from * 1000).toISOString(),
      to: new Date(window.to * 1000).toISOString(),
      group_by: "agent",
    });
    const rows = parsed(chatStats, agents).groups;
    await expect.poll(() => frame.locator("#table tbody tr").count()).toBe(rows.length);
    const cells = await frame
      .locator("#table tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 5).map((c) => c.textContent)));
    expect(cells).toEqual(rows.map((r) => [r.label, String(r.created), String(r.closed), String(r.open), String(r.awaiting_reply)]));
    await screenshot(page, "stats-light");
    const dark = await open("stats", input, result, "dark");
    await dark.frame.locator("#table tbody tr").first().waitFor();
    await screenshot(dark.page, "stats-dark");
  });
  it("a 30-day window draws 30 evenly spaced days, days without chats included", async () => {
    // Midnight in the server's HELPCRUNCH_TIMEZONE (Europe/Berlin), 30 days ago and today.
    const midnight = (day: string) => {
      const offset = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Berlin", timeZoneName: "longOffset" })
        .formatToParts(Date.parse(`${day}T00:00:00Z`))
        .find((p) => p.type === "timeZoneName")
        ?.value.replace("GMT", "");
      return `${day}T00:00:00${offset || "Z"}`;
    };
    const today = berlinDay(Date.now());
    const days = Array.from({ length: 30 }, (_, i) =>
      new Date(Date.parse(`${today}T12:00:00Z`) - (30 - i) * 86_400_000).toISOString().slice(0, 10),
    );
    const input = { from: midnight(days[0] as string), to: midnight(today), group_by: "day" };
    const result = await host.call("chat_stats", input);
    const groups = parsed(chatStats, result).groups;
    expect(groups.length).toBeLessThan(30); // the sandbox has days without chats in this window
    const { frame } = await open("stats", input, result);
    await frame.locator("rect.bar.created").first().waitFor();
    const created = await frame
      .locator("rect.bar.created")
      .evaluateAll((rects) =>
        rects.map((r) => [r.getAttribute("data-day"), Number(r.getAttribute("data-value")), Number(r.getAttribute("x"))] as const),
      );
    expect(created.map(([day]) => day)).toEqual(days.map((d) => `day:${d}`));
    const byDay = new Map(groups.map((g) => [g.key, g.created]));
    expect(created.map(([day, value]) => [day, value])).toEqual(days.map((d) => [`day:${d}`, byDay.get(`day:${d}`) ?? 0]));
    const steps = new Set(created.slice(1).map(([, , x], i) => x - (created[i]?.[2] as number)));
    expect(steps.size).toBe(1);
  });

  it("times to close read as in the text answer (8d 11h, not minutes)", async () => {
    const input = { from: "30d", group_by: "agent" };
    const result = await host.call("chat_stats", input);
    const rows = parsed(chatStats, result).groups;
    // The text answer's table: label | created | closed | open | awaiting | close median / p90 | CSAT (rated).
    const text = result.content[0]?.type === "text" ? result.content[0].text : "";
    const textClose = new Map(
      text
        .split("\n")
        .map((line) => line.split(" | "))
        .filter((cells) => cells.length >= 7)
        .map((cells) => [cells[0], cells[5]]),
    );
    const { frame } = await open("stats", input, result);
    await expect.poll(() => frame.locator("#table tbody tr").count()).toBe(rows.length);
    const cells = await frame
      .locator("#table tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? "")));
    const closes = cells.map((c) => c[5]);
    expect(closes.some((c) => /^\d+[mhdw]/.test(c ?? ""))).toBe(true);
    expect(closes.join(" ")).not.toMatch(/min/);
    expect(cells.map((c) => [c[0], c[5]])).toEqual(rows.map((r) => [r.label, textClose.get(r.label)?.replace("–", "—")]));
  });

  it("CSAT says how many rated: 100% of 1 rating", async () => {
    const input = { from: "30d", group_by: "agent" };
    const result = await host.call("chat_stats", input);
    const rows = parsed(chatStats, result).groups;
    type Row = (typeof rows)[number];
    const { frame } = await open("stats", input, result);
    await expect.poll(() => frame.locator("#table tbody tr").count()).toBe(rows.length);
    const cells = await frame
      .locator("#table tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? "")));
    const rated = (r: Row) => r.ratings.great + r.ratings.average + r.ratings.poor;
    expect(rows.some((r) => r.csat !== undefined)).toBe(true);
    expect(cells.map((c) => c[6])).toEqual(
      rows.map((r) => (r.csat === undefined ? "—" : `${Math.round(r.csat * 100)}% of ${rated(r)} rating${rated(r) === 1 ? "" : "s"}`)),
    );
  });

  // Last: measuring response times spends much of the server's per-minute HelpCrunch budget (HELPCRUNCH_RATE_LIMIT_PER_MINUTE), which the calls above need.
  it("shows the SLA met shares of an answer that has them", async () => {
    const input = { from: "7d", group_by: "agent", response_times: true };
    const result = await host.call("chat_stats", input);
    const sla = parsed(chatStats, result).sla ?? {};
    const shares = Object.values(sla).flatMap((s) => (s?.share === undefined ? [] : [`${Math.round(s.share * 100)}% met`]));
    expect(shares.length).toBeGreaterThan(0);
    const { frame } = await open("stats", input, result);
    await expect.poll(() => frame.locator("#sla li").allTextContents()).toHaveLength(shares.length);
    const shown = await frame.locator("#sla li").allTextContents();
    for (const [i, share] of shares.entries()) expect(shown[i]).toContain(share);
  });
});
