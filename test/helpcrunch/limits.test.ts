/** The client's own rate limit and concurrency cap, seen from the sandbox's request log. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, type HelpCrunchClient } from "../../src/helpcrunch/index.js";
import { type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 5 });
});
afterAll(() => sandbox.stop());
afterEach(() => {
  sandbox.clearFaults();
  sandbox.clearRequests();
});

/** The most arrivals the sandbox saw within any `spanMs`. */
function maxArrivalsWithin(spanMs: number): number {
  const arrivals = sandbox.requests.map((r) => r.at);
  return Math.max(...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + spanMs).length));
}

/** 200 mixed calls through one client, all at once: the limiter is shared by every method. */
function burst(client: HelpCrunchClient, target: SandboxHandle): Promise<Array<PromiseSettledResult<unknown>>> {
  const chat = [...target.state.chats.keys()][0] as number;
  const calls = [() => client.listApplications(), () => client.getChat(chat), () => client.searchChats({ statuses: ["opened"], limit: 1 })];
  return Promise.allSettled(Array.from({ length: 200 }, (_, i) => (calls[i % calls.length] as () => Promise<unknown>)()));
}

type ClientLimits = Omit<Parameters<typeof createClient>[0], "baseUrl" | "apiKey">;

/** The burst through a client with `limits` against a fresh sandbox at 120 per 1 s window; both are closed before the test reads it. */
async function burstAgainstLimit(limits: ClientLimits) {
  const limited = await startSandbox({ seed: 5, rateLimitPerMinute: 120, rateLimitWindowMs: 1_000 });
  const client = createClient({ baseUrl: limited.url, apiKey: limited.apiKey, ...limits });
  const results = await burst(client, limited);
  await client.close();
  await limited.stop();
  return { results, limited };
}

describe("rate limiting", () => {
  it("spreads 200 calls so a sandbox at 120 per window returns no 429", async () => {
    const { results, limited } = await burstAgainstLimit({
      rateLimitPerMinute: 120,
      rateLimitWindowMs: 1_000,
      maxConcurrency: 8,
      retryBaseDelayMs: 5,
      statusFilter: "name",
    });
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect(limited.requests).toHaveLength(200); // no retries were needed
    expect(limited.requests.filter((r) => r.status === 429)).toHaveLength(0);
    // 200 at 120 per second cannot take less than one window.
    expect((limited.requests.at(-1)?.at ?? 0) - (limited.requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it("the same burst without the client limiter earns 429s (so the test above can fail)", async () => {
    const { limited } = await burstAgainstLimit({ rateLimitPerMinute: 100_000, maxConcurrency: 8, maxRetries: 0 });
    expect(limited.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
  });

  it("retries take a place in the window like any request", async () => {
    const client = createClient({
      baseUrl: sandbox.url,
      apiKey: sandbox.apiKey,
      rateLimitPerMinute: 3,
      rateLimitWindowMs: 500,
      retryBaseDelayMs: 1,
    });
    sandbox.addFault({ path: "/applications", times: 2, fault: { type: "status", status: 503 } });
    await client.listApplications(); // three requests: 503, 503, 200
    await client.listApplications(); // must wait for the window
    await client.close();
    const at = sandbox.requests.map((r) => r.at);
    expect(sandbox.requests.map((r) => r.status)).toEqual([503, 503, 200, 200]);
    expect((at[3] as number) - (at[0] as number)).toBeGreaterThanOrEqual(500);
  });
});

describe("concurrency", () => {
  /** 8 calls that each take ≥ 60 ms, through a client capped at `maxConcurrency`. */
  async function slowBurst(maxConcurrency: number): Promise<void> {
    sandbox.addFault({ path: "/applications", times: 20, fault: { type: "delay", ms: 60 } });
    const client = createClient({ baseUrl: sandbox.url, apiKey: sandbox.apiKey, maxConcurrency, timeoutMs: 2_000 });
    await Promise.all(Array.from({ length: 8 }, () => client.listApplications()));
    await client.close();
  }

  it("keeps at most maxConcurrency requests in flight", async () => {
    await slowBurst(2);
    // Each answer takes ≥ 60 ms, so with 2 in flight no 50 ms span sees more than 2 arrivals.
    expect(maxArrivalsWithin(50)).toBeLessThanOrEqual(2);
    const span = (sandbox.requests.at(-1)?.at ?? 0) - (sandbox.requests[0]?.at ?? 0);
    expect(span).toBeGreaterThanOrEqual(3 * 60 - 10);
  });

  it("a higher cap lets more in at once (so the test above can fail)", async () => {
    await slowBurst(6);
    expect(maxArrivalsWithin(50)).toBeGreaterThan(2);
  });
});
