/**
 * Strict sending: calls a tool could get wrong are refused before any request. The client points
 * at a port nothing listens on, so a request that slipped through would fail as a HelpCrunchError.
 */

import { afterAll, describe, expect, it } from "vitest";
import type { CreateMessageInput, WritableStatus } from "../../src/helpcrunch/index.js";
import { createClient, HelpCrunchError } from "../../src/helpcrunch/index.js";
import { send } from "./helpers.js";

const client = createClient({ baseUrl: "http://127.0.0.1:9/v1", apiKey: "k-unused", maxRetries: 0, timeoutMs: 500 });
afterAll(() => client.close());

async function refusal(call: () => Promise<unknown>): Promise<Error> {
  // A write is refused when it is prepared (synchronously, before any request); a read when it is sent.
  const error = await Promise.resolve()
    .then(call)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(Error);
  expect(error).not.toBeInstanceOf(HelpCrunchError);
  return error as Error;
}

describe("refused before sending", () => {
  it("a message without an agent (HelpCrunch would post it as the customer)", async () => {
    const noAgent = { chat: 1, text: "hi", type: "message" } as unknown as CreateMessageInput;
    expect((await refusal(() => send(client, client.prepare.createMessage(noAgent)))).message).toMatch(/agent is required/);
    expect(
      (await refusal(() => send(client, client.prepare.createMessage({ ...noAgent, agent: null } as unknown as CreateMessageInput))))
        .message,
    ).toMatch(/agent/);
    expect(
      (await refusal(() => send(client, client.prepare.createMessage({ chat: 1, text: "hi", agent: 1.5, type: "private" })))).message,
    ).toMatch(/agent/);
    await refusal(() => send(client, client.prepare.createMessage({ chat: 1, text: "hi", agent: 1, type: "note" as "private" })));
  });

  it("a search without any filter, or several statuses mixed with other filters", async () => {
    expect((await refusal(() => client.searchChats({}))).message).toMatch(/at least one filter/);
    const mixed = client.searchChats({ statuses: ["new", "opened"], filters: [{ field: "chats.department", operator: "=", value: 1 }] });
    expect((await refusal(() => mixed)).message).toMatch(/one search per status/);
    await refusal(() => client.searchCustomers({ filters: [] }));
  });

  it("ids that are not positive integers", async () => {
    for (const bad of [0, -3, 1.5, Number.NaN]) {
      await refusal(() => client.getChat(bad));
      await refusal(() => send(client, client.prepare.setAssignee(1, bad)));
      await refusal(() => send(client, client.prepare.setDepartment(bad, 1)));
      await refusal(() => send(client, client.prepare.createChat({ customer: bad, application: 1 })));
    }
  });

  it("a snooze time that is not a number (it would serialise as null = unsnooze)", async () => {
    await refusal(() => send(client, client.prepare.snooze(1, Number.NaN)));
    await refusal(() => send(client, client.prepare.snooze(1, Number.POSITIVE_INFINITY)));
  });

  it("a status that cannot be written", async () => {
    await refusal(() => send(client, client.prepare.setStatus(1, "empty" as WritableStatus)));
  });

  it("a read's errors are rejections, never synchronous throws; a write is refused when it is prepared", () => {
    expect(() => client.getChat(-1).catch(() => undefined)).not.toThrow();
    expect(() => client.prepare.createMessage({} as CreateMessageInput)).toThrow(/agent is required/);
  });
});

it("an unreachable HelpCrunch is a network error naming the errno code, without the key", async () => {
  const error = (await client.getChat(1).then(
    () => undefined,
    (e: unknown) => e,
  )) as HelpCrunchError;
  expect(error).toBeInstanceOf(HelpCrunchError);
  expect(error).toMatchObject({ kind: "network", retryable: true, outcomeUnknown: false });
  expect(error.message).toBe("Could not reach HelpCrunch (ECONNREFUSED); try again shortly.");
});

it("refuses a base URL that is not http(s)", () => {
  expect(() => createClient({ baseUrl: "ftp://example.com/v1", apiKey: "k" })).toThrow(/http/);
});
