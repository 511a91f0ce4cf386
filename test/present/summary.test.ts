/**
 * The lean structuredContent is lossless: reading a summary back by the rules
 * its schema states gives the full view again, for any chat or message.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ChatSummary, type ChatView, summarize } from "../../src/present/chat-summary.js";
import { type MessageSummary, type MessageView, summarizeMessage } from "../../src/present/messages.js";
import { NameBook, type Names } from "../../src/present/names.js";

/** Views hold epoch ms; summaries UNIX seconds. */
const ms = (seconds: number | undefined) => (seconds === undefined ? undefined : seconds * 1000);

/** A program reading the documented rules: the inverse of summarize. */
function expandChat(s: ChatSummary, names: Names = {}): ChatView {
  const named = (id: number | undefined, book: Record<string, string> | undefined) =>
    id === undefined ? undefined : { id, ...(book?.[id] ? { name: book[id] } : {}) };
  const view: ChatView = {
    id: s.id,
    status: s.status,
    customer: s.customer,
    assignee: named(s.assignee, names.agents),
    department: named(s.department, names.departments),
    created_at: ms(s.created_at),
    last_message_at: ms(s.last_message_at),
    last_customer_message_at:
      s.last_customer_message_at === undefined ? ms(s.last_message_at) : (ms(s.last_customer_message_at ?? undefined) ?? undefined),
    awaiting_reply: s.waiting_minutes !== undefined,
    waiting_minutes: s.waiting_minutes,
    unread: s.unread,
    snoozed_until: ms(s.snoozed_until),
    rating: s.rating,
    closed_at: ms(s.closed_at),
    preview: s.preview,
    preview_from: s.preview === undefined ? undefined : (s.preview_from ?? "customer"),
  };
  return JSON.parse(JSON.stringify(view)) as ChatView;
}

function expandMessage(m: MessageSummary, names: Names = {}): MessageView {
  const author = m.agent === undefined ? undefined : { id: m.agent, ...(names.agents?.[m.agent] ? { name: names.agents[m.agent] } : {}) };
  return JSON.parse(
    JSON.stringify({ ...m, from: m.from ?? "agent", agent: undefined, author, type: m.type ?? "message", created_at: ms(m.created_at) }),
  ) as MessageView;
}

const seconds = fc.integer({ min: 0, max: 4_000_000_000 });
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const text = fc.string({ minLength: 1, maxLength: 20 });
const named = fc.record({ id: fc.integer({ min: 1, max: 1e6 }), name: opt(text) }, { requiredKeys: ["id"] });

const chatView: fc.Arbitrary<ChatView> = fc
  .record({
    id: fc.integer({ min: 1 }),
    status: fc.constantFrom("new", "opened", "pending", "closed"),
    customer: opt(fc.record({ id: fc.integer({ min: 1 }), name: opt(text), email: opt(text) }, { requiredKeys: ["id"] })),
    assignee: opt(named),
    department: opt(named),
    created_at: opt(seconds),
    last_message_at: opt(seconds),
    last_customer_message_at: opt(seconds),
    sameLast: fc.boolean(),
    waiting_minutes: opt(fc.nat()),
    unread: opt(fc.boolean()),
    snoozed_until: opt(seconds),
    rating: opt(fc.constantFrom("great", "average", "poor")),
    closed_at: opt(seconds),
    preview: opt(text),
    from: fc.constantFrom("customer" as const, "agent" as const),
  })
  .map(
    ({ sameLast, from, ...v }) =>
      JSON.parse(
        JSON.stringify({
          ...v,
          created_at: ms(v.created_at),
          last_message_at: ms(v.last_message_at),
          last_customer_message_at: ms(sameLast ? v.last_message_at : v.last_customer_message_at),
          snoozed_until: ms(v.snoozed_until),
          closed_at: ms(v.closed_at),
          awaiting_reply: v.waiting_minutes !== undefined,
          preview_from: v.preview === undefined ? undefined : from,
        }),
      ) as ChatView,
  );

const messageView: fc.Arbitrary<MessageView> = fc
  .record({
    id: fc.integer({ min: 1 }),
    from: fc.constantFrom("customer", "agent", "system", "unknown"),
    author: opt(named),
    type: fc.constantFrom("message", "private", "tech"),
    text: fc.string({ maxLength: 30 }),
    truncated: opt(fc.constant(true)),
    created_at: opt(seconds),
  })
  .map((m) => JSON.parse(JSON.stringify({ ...m, created_at: ms(m.created_at) })) as MessageView);

describe("lean structuredContent reads back to the full view", () => {
  it("chat summaries", () => {
    fc.assert(
      fc.property(chatView, (view) => {
        const { chats, names } = summarize([view]);
        expect(expandChat(chats[0] as ChatSummary, names)).toEqual(view);
      }),
      { numRuns: 500 },
    );
  });

  it("messages", () => {
    fc.assert(
      fc.property(messageView, (view) => {
        const book = new NameBook();
        const lean = summarizeMessage(view, book);
        expect(expandMessage(lean, book.names())).toEqual(view);
      }),
      { numRuns: 500 },
    );
  });
});
