/** The line a poll (triage_queue with since) gives a chat that changed: what changed, nothing it already said. */
import { describe, expect, it } from "vitest";
import { type ChatView, changeLine } from "../../src/present/chat-summary.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const before: ChatView = {
  id: 7,
  status: "opened",
  awaiting_reply: true,
  waiting_minutes: 30,
  last_message_at: NOW - 1_800_000,
  preview: "Hi",
  preview_from: "customer",
};

describe("changeLine", () => {
  it("shows a message that just came in without a redundant 'waiting 0m'", () => {
    const after: ChatView = { ...before, waiting_minutes: 0, last_message_at: NOW, preview: "Still there?" };
    expect(changeLine(before, after, NOW)).toBe("#7 · <customer_message>Still there?</customer_message>");
  });

  it("keeps the wait when the customer's message is older than a minute, or nothing new was written", () => {
    const later: ChatView = { ...before, waiting_minutes: 3, last_message_at: NOW - 180_000, preview: "Still there?" };
    expect(changeLine(before, later, NOW)).toBe("#7 · waiting 3m · <customer_message>Still there?</customer_message>");
    const assigned: ChatView = { ...before, assignee: { id: 2, name: "Tom" } };
    expect(changeLine(before, assigned, NOW)).toBe("#7 · → Tom · waiting 30m");
  });

  it("says an agent's reply answered the customer", () => {
    const answered: ChatView = {
      ...before,
      awaiting_reply: false,
      waiting_minutes: undefined,
      last_message_at: NOW,
      preview: "On it",
      preview_from: "agent",
    };
    expect(changeLine(before, answered, NOW)).toBe('#7 · answered · agent: "On it"');
  });
});
