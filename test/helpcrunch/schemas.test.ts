/** Liberal parsing, checked with properties: every documented encoding in, one domain shape out. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPath } from "../../src/helpcrunch/http-transport.js";
import {
  agentSchema,
  chatSchema,
  customerSchema,
  listEnvelope,
  messageSchema,
  parseDegrading,
  timestamp,
} from "../../src/helpcrunch/schemas.js";
import { normaliseStatus } from "../../src/helpcrunch/status.js";

const seconds = fc.integer({ min: 0, max: 4_000_000_000 });
const TIMESTAMP_FIELDS = ["createdAt", "closedAt", "lastMessageAt", "lastCustomerMessageAt", "snoozedUntil"] as const;
const CHAT_FIELDS = new Set(Object.keys(chatSchema.shape));

/** A chat as HelpCrunch might send it: any subset of fields, any timestamp encoding. */
const anyTimestamp = fc.oneof(
  seconds,
  seconds.map(String),
  seconds.map((s) => `${s}.000`),
  fc.constant(null),
);
const rawChat = fc.record(
  {
    id: fc.integer({ min: 1, max: 2 ** 31 }),
    status: fc.constantFrom("new", "opened", "open", "pending", "on hold", "onhold", "on-hold", "no communication", "closed", "empty"),
    createdAt: anyTimestamp,
    lastMessageAt: anyTimestamp,
    snoozedUntil: anyTimestamp,
    readByAgent: fc.oneof(fc.boolean(), fc.constant(null)),
    rating: fc.oneof(fc.constantFrom("great", "average", "poor", "perfect"), fc.constant(null)),
    customer: fc.oneof(fc.constant(null), fc.record({ id: fc.integer({ min: 1 }), name: fc.string(), email: fc.string() })),
    assignee: fc.oneof(fc.constant(null), fc.record({ id: fc.integer({ min: 1 }), name: fc.string() })),
    agents: fc.oneof(fc.constant(null), fc.array(fc.record({ id: fc.integer({ min: 1 }) }), { maxLength: 3 })),
  },
  { requiredKeys: ["id"] },
);
/** Extra fields HelpCrunch may add one day, with names our schema does not know. */
const extraFields = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !CHAT_FIELDS.has(k) && k !== "__proto__"),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 5 },
);

describe("timestamp", () => {
  it("integer, string of seconds and string with .000 give the same epoch ms", () => {
    fc.assert(
      fc.property(seconds, (s) => {
        const expected = s * 1000;
        expect(timestamp.parse(s)).toBe(expected);
        expect(timestamp.parse(String(s))).toBe(expected);
        expect(timestamp.parse(`${s}.000`)).toBe(expected);
        expect(timestamp.parse(` ${s} `)).toBe(expected);
      }),
    );
  });

  it("keeps the millisecond fraction", () => {
    fc.assert(
      fc.property(seconds, fc.integer({ min: 0, max: 999 }), (s, ms) => {
        expect(timestamp.parse(`${s}.${String(ms).padStart(3, "0")}`)).toBe(s * 1000 + ms);
      }),
    );
    expect(timestamp.parse("1594139170.913")).toBe(1_594_139_170_913);
  });

  it("null, absent and empty mean no time", () => {
    expect(timestamp.parse(null)).toBeNull();
    expect(timestamp.parse(undefined)).toBeNull();
    expect(timestamp.parse("")).toBeNull();
  });

  it("values only milliseconds can explain are read as milliseconds", () => {
    expect(timestamp.parse(1_603_885_746_000)).toBe(1_603_885_746_000);
    expect(timestamp.parse("1603885746000")).toBe(1_603_885_746_000);
  });

  it("junk and out-of-range values read as null and are reported as degraded, never an Invalid Date", () => {
    for (const junk of ["yesterday", "12abc", "NaN", 1e300, "1e400", {}, [], true]) {
      const { result, degraded } = parseDegrading(() => timestamp.safeParse(junk));
      expect(result, JSON.stringify(junk)).toEqual({ success: true, data: null });
      expect(degraded).toHaveLength(1);
    }
  });
});

describe("chat", () => {
  it("every documented encoding parses; random extra fields change nothing", () => {
    fc.assert(
      fc.property(rawChat, extraFields, (raw, extra) => {
        const plain = chatSchema.parse(raw);
        expect(chatSchema.parse({ ...extra, ...raw })).toEqual(plain);
        for (const field of TIMESTAMP_FIELDS) {
          const value = (raw as Record<string, unknown>)[field];
          expect(plain[field]).toBe(value == null ? null : Math.round(Number(value) * 1000));
        }
        expect(plain.status).toBe(raw.status === undefined ? "unknown" : normaliseStatus(raw.status));
      }),
    );
  });

  it("unknown enum strings are kept, not refused", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (value) => {
        const chat = chatSchema.parse({ id: 1, status: value, rating: value, createdWith: value, closedBy: value });
        expect(chat.status).toBe(normaliseStatus(value));
        expect(chat.rating).toBe(value);
        expect(chat.createdWith).toBe(value);
        expect(chat.closedBy).toBe(value);
        const message = messageSchema.parse({ id: 1, type: value, from: value });
        expect([message.type, message.from]).toEqual([value, value]);
        expect(agentSchema.parse({ id: 1, role: value }).role).toBe(value);
      }),
    );
  });

  it("a single agent object where an array is documented is read as a one-item array", () => {
    expect(chatSchema.parse({ id: 1, agents: { id: 7, name: "Ann" } }).agents).toEqual([{ id: 7, name: "Ann", email: null, role: null }]);
  });

  it("numeric-string ids are read as integers", () => {
    const chat = chatSchema.parse({ id: "42", applicationId: "3", customer: { id: "9" } });
    expect([chat.id, chat.applicationId, chat.customer?.id]).toEqual([42, 3, 9]);
  });
});

describe("wrong types", () => {
  const wrongValue = fc.oneof(
    fc.constant(true),
    fc.constant({ nested: 1 }),
    fc.constant([1, 2]),
    fc.constantFrom("abc", "12:00", "yesterday"),
  );
  const field = fc.constantFrom("id", "lastMessageId", "applicationId");

  it("fail with an issue naming the field path inside a list, never another kind of throw", () => {
    const envelope = listEnvelope(chatSchema);
    fc.assert(
      fc.property(fc.array(rawChat, { minLength: 1, maxLength: 6 }), fc.nat(), field, wrongValue, (chats, at, name, bad) => {
        const index = at % chats.length;
        const data = chats.map((c, i) => (i === index ? { ...c, [name]: bad } : c));
        const result = envelope.safeParse({ data, meta: { total: data.length } });
        expect(result.success).toBe(false);
        if (!result.success) expect(formatPath(result.error.issues[0]?.path ?? [])).toBe(`data[${index}].${name}`);
      }),
    );
  });

  it("a wrong timestamp in one chat of a list costs only that field", () => {
    const envelope = listEnvelope(chatSchema);
    fc.assert(
      fc.property(
        fc.array(rawChat, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.constantFrom(...TIMESTAMP_FIELDS),
        wrongValue,
        (chats, at, name, bad) => {
          const index = at % chats.length;
          const data = chats.map((c, i) => (i === index ? { ...c, [name]: bad } : c));
          const { result, degraded } = parseDegrading(() => envelope.safeParse({ data, meta: { total: data.length } }));
          expect(result.success).toBe(true);
          if (result.success) expect((result.data.data[index] as Record<string, unknown>)[name]).toBeNull();
          expect(degraded).toHaveLength(1);
        },
      ),
    );
  });

  it("random payloads never make safeParse throw", () => {
    const schemas = [chatSchema, messageSchema, customerSchema, agentSchema, listEnvelope(chatSchema), listEnvelope(messageSchema)];
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        for (const schema of schemas) expect(() => schema.safeParse(value)).not.toThrow();
      }),
    );
  });
});

describe("listEnvelope", () => {
  const envelope = listEnvelope(agentSchema);
  const agents = [
    { id: 1, name: "A" },
    { id: 2, name: "B" },
  ];

  it("reads {data, meta.total}, {data, total}, {messages, total} and a bare array alike", () => {
    const expected = envelope.parse({ data: agents, meta: { total: 9 } }).data;
    expect(envelope.parse({ data: agents, meta: { total: 9 } })).toMatchObject({ total: 9, totalReported: true });
    expect(envelope.parse({ data: agents, total: "9" })).toMatchObject({ data: expected, total: 9, totalReported: true });
    expect(envelope.parse({ messages: agents, total: 9 })).toMatchObject({ data: expected, total: 9 });
    expect(envelope.parse(agents)).toEqual({ data: expected, total: 2, totalReported: false });
    expect(envelope.parse({ data: agents, meta: null })).toMatchObject({ total: 2, totalReported: false });
    expect(envelope.parse({ data: agents, meta: { total: null } })).toMatchObject({ total: 2, totalReported: false });
  });

  it("a body without a list is an error at `data`", () => {
    const result = envelope.safeParse({ items: agents });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues[0]?.path).toEqual(["data"]);
  });
});
