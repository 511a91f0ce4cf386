/**
 * The mirror's record format is stored (in Redis, shared by replicas of different versions), so it
 * is pinned here byte for byte: a record written before must still decode to the same chat, and the
 * same chat must still encode to the same text (the Redis script compares records by their bodies).
 */
import { describe, expect, it } from "vitest";
import { decodeChat, encodeChat, queueChat, recordFacets, recordVersion } from "../../src/services/mirror-record.js";
import { makeChat, NOW, spreadQueue } from "../helpers/chats.js";

const FULL = makeChat({
  id: 5215752,
  status: "pending",
  snoozedUntil: NOW + 1500,
  readByAgent: null,
  readByCustomer: false,
  rating: "good",
  lastCommunicatedAgentId: 7,
  agents: [
    { id: 7, name: "Sam", email: "sam@example.com", role: "agent" },
    { id: 9, name: null, email: null, role: null },
  ],
  customer: { id: 42, name: "Ana", email: "ana@example.com", userId: "u-1" },
});
const FULL_RECORD =
  '5215752,"pending",1795572000,1795606200,1795606200,1795608001.5,-1,0,[1,"Priya Patel"],[1,"Billing"],[42,"Ana","ana@example.com"],"Hello, I need help",[7,9],7,1,1,"good","customer_message",0,0,"n|s=pending|a|z"';

const FULL_DECODED =
  '{"id":5215752,"status":"pending","createdAt":1795572000000,"lastMessageAt":1795606200000,"lastCustomerMessageAt":1795606200000,"snoozedUntil":1795608001500,"readByAgent":null,"readByCustomer":false,"assignee":{"id":1,"name":"Priya Patel","email":null,"role":null},"department":{"id":1,"name":"Billing"},"customer":{"id":42,"name":"Ana","email":"ana@example.com","userId":null},"lastMessageText":"Hello, I need help","agents":[{"id":7,"name":null,"email":null,"role":null},{"id":9,"name":null,"email":null,"role":null}],"lastCommunicatedAgentId":7,"lastMessageId":1,"applicationId":1,"rating":"good","createdWith":"customer_message","closedAt":null,"closedBy":null}';

const SPARSE = makeChat({
  id: 3,
  status: "closed",
  closedAt: NOW,
  closedBy: "agent",
  customer: null,
  assignee: null,
  department: null,
  lastMessageText: null,
  lastMessageId: null,
  applicationId: null,
  createdWith: null,
  lastCustomerMessageAt: null,
});
const SPARSE_RECORD = '3,"closed",1795572000,1795606200,0,0,1,1,0,0,0,0,[],0,0,0,0,0,1795608000,"agent","n|s=closed|u"';

describe("mirror records", () => {
  it("encode a chat to the same text as ever", () => {
    expect(encodeChat(FULL)).toBe(FULL_RECORD);
    expect(encodeChat(SPARSE)).toBe(SPARSE_RECORD);
  });

  it("decode a stored record to the chat queueChat keeps, fields in the same order", () => {
    for (const [chat, body] of [
      [FULL, FULL_RECORD],
      [SPARSE, SPARSE_RECORD],
    ] as const) {
      const record = `[1764072000000,${body}]`;
      const decoded = decodeChat(record);
      expect(decoded.version).toBe(1764072000000);
      expect(decoded.chat).toStrictEqual(queueChat(chat));
      expect(recordVersion(record)).toBe(1764072000000);
    }
    // Key order too: a chat read back serialises as it always did.
    expect(JSON.stringify(decodeChat(`[1,${FULL_RECORD}]`).chat)).toBe(FULL_DECODED);
    expect(decodeChat(`[1,${FULL_RECORD}]`).chat.customer).toEqual({ id: 42, name: "Ana", email: "ana@example.com", userId: null });
    expect(recordFacets(`[1,${SPARSE_RECORD}]`)).toEqual(["n", "s=closed", "u"]);
  });

  it("round-trip a spread of chats", () => {
    for (const chat of spreadQueue(300, 3)) expect(decodeChat(`[9,${encodeChat(chat)}]`).chat).toStrictEqual(queueChat(chat));
  });
});
