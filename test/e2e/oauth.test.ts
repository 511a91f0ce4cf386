/**
 * `--http` as an OAuth 2.1 resource server, against a real issuer on
 * loopback: it serves its own discovery document and JWKS (keys made with jose), and tokens are
 * signed here. An SDK Client over Streamable HTTP with each kind of token; no request reaches a tool
 * without a valid one, and the audit trail names who asked.
 */
import { readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAgents } from "../../src/tools/list_agents.js";
import { searchChats } from "../../src/tools/search_chats.js";
import { sendMessage } from "../../src/tools/send_message.js";
import { freePort, postMcp, runServer, spawnHttpProcess } from "../helpers/spawn.js";
import { parsed } from "../helpers/typed-call.js";

const AUDIENCE = "https://mcp.example.test/mcp";
const auditFile = join(tmpdir(), `helpcrunch-oauth-audit-${process.pid}.jsonl`);
let issuerServer: Server;
/** The loopback issuer's origin: the issuer that behaves; the misbehaving ones live under a path of it. */
let issuer: string;
let keys: { privateKey: CryptoKey; kid: string };
let stranger: { privateKey: CryptoKey; kid: string };
let server: RunningServer;
let base: string;

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return { privateKey, kid, jwk };
}

interface TokenOptions {
  sub?: string;
  email?: string;
  scope?: string;
  aud?: string;
  iss?: string;
  expiresIn?: string | number;
  key?: { privateKey: CryptoKey; kid: string };
  /** More claims, e.g. email_verified. */
  claims?: Record<string, unknown>;
}

function token(o: TokenOptions = {}): Promise<string> {
  const key = o.key ?? keys;
  const jwt = new SignJWT({ scope: o.scope ?? "helpcrunch:use helpcrunch:send", ...(o.email ? { email: o.email } : {}), ...o.claims });
  // A `sub` among the claims is sent as given (a number, say), not replaced by a string.
  if (!o.claims || !("sub" in o.claims)) jwt.setSubject(o.sub ?? "user-42");
  return jwt
    .setProtectedHeader({ alg: "RS256", kid: key.kid })
    .setIssuer(o.iss ?? issuer)
    .setAudience(o.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(o.expiresIn ?? "5m")
    .sign(key.privateKey);
}

/** A POST to /mcp with `authorization`; returns status, the headers that matter and the body. */
async function post(authorization?: string, at = base) {
  const res = await postMcp(at, { jsonrpc: "2.0", id: 1, method: "tools/list" }, authorization ? { authorization } : {});
  return {
    status: res.status,
    challenge: res.headers.get("www-authenticate") ?? "",
    retryAfter: res.headers.get("retry-after"),
    body: await res.text(),
  };
}

async function connect(bearer: string): Promise<Client> {
  const client = new Client({ name: "oauth-test", version: "1" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: { authorization: `Bearer ${bearer}` } } }),
  );
  return client;
}

interface RunningServer {
  base: string;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  stop(): void;
}

/** The built server with --http and OAuth against `issuerUrl`; resolves once it serves. */
async function startServer(issuerUrl: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const child = spawnHttpProcess(
    port,
    { MCP_OAUTH_ISSUER: issuerUrl, MCP_OAUTH_AUDIENCE: AUDIENCE, MCP_OAUTH_REQUIRED_SCOPES: "helpcrunch:use", ...env },
    ["--demo"],
  );
  let stderr = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("serving Streamable HTTP")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  return { base: `http://127.0.0.1:${port}`, stderr: () => stderr, stop: () => child.kill("SIGTERM") };
}

beforeAll(async () => {
  rmSync(auditFile, { force: true });
  const published = await keyPair("key-1");
  keys = published;
  stranger = await keyPair("key-unknown");
  issuerServer = createServer((req, res) => {
    const json = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    const discovery = (path: string) => json({ issuer: `${issuer}${path}`, jwks_uri: `${issuer}${path}/jwks.json` });
    switch (req.url) {
      case "/.well-known/openid-configuration":
        return discovery("");
      case "/jwks.json":
        return json({ keys: [published.jwk] });
      // Issuers that fail after discovery: their JWKS is missing, or never answers.
      case "/jwks-missing/.well-known/openid-configuration":
        return discovery("/jwks-missing");
      case "/jwks-hanging/.well-known/openid-configuration":
        return discovery("/jwks-hanging");
      case "/jwks-hanging/jwks.json":
        return;
      // An issuer URL that serves a web page (a login portal, a proxy's maintenance page) where JSON belongs.
      case "/html/.well-known/openid-configuration":
        return res
          .writeHead(200, { "content-type": "text/html; charset=utf-8" })
          .end("<html>\r\n<body>Wartung – bitte später</body></html>");
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => issuerServer.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(issuerServer.address() as { port: number }).port}`;

  server = await startServer(issuer, {
    HELPCRUNCH_AGENT_FROM_TOKEN: "true",
    HELPCRUNCH_CUSTOMER_MESSAGES: "on",
    HELPCRUNCH_AUDIT_LOG: auditFile,
  });
  base = server.base;
});

afterAll(async () => {
  server?.stop();
  issuerServer?.closeAllConnections();
  await new Promise<void>((resolve) => issuerServer?.close(() => resolve()));
  rmSync(auditFile, { force: true });
});

describe("OAuth resource server", () => {
  it("serves the protected-resource metadata naming the issuer (RFC 9728)", async () => {
    for (const path of ["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ resource: AUDIENCE, authorization_servers: [issuer], bearer_methods_supported: ["header"] });
    }
  });

  it("serves it only where RFC 9728 §3.1 puts it for this resource, and at the root", async () => {
    for (const path of [
      "/.well-known/oauth-protected-resource/other",
      "/.well-known/oauth-protected-resource/mcp/more",
      "/.well-known/oauth-protected-resource/",
      "/.well-known/oauth-protected-resourcex",
    ]) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
  });

  it("a valid token works through the SDK client", async () => {
    const client = await connect(await token());
    expect((await client.listTools()).tools.length).toBeGreaterThan(10);
    const result = await client.callTool({ name: "search_chats", arguments: { status: ["opened"], limit: 2 } });
    expect(result.isError).toBeFalsy();
    await client.close();
  });

  it("no token: 401 with the resource metadata in WWW-Authenticate", async () => {
    const r = await post();
    expect(r.status).toBe(401);
    expect(r.challenge).toBe('Bearer resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource/mcp"');
  });

  it.each<[string, () => Promise<string>]>([
    ["wrong audience", () => token({ aud: "https://other.example.test/mcp" })],
    ["wrong issuer", () => token({ iss: "https://evil.example.test" })],
    ["expired", () => token({ expiresIn: Math.floor(Date.now() / 1000) - 600 })],
    ["unknown kid", () => token({ key: stranger })],
    // RFC 7519 §4.1.2: `sub` is a string. A number would map to the person whose sub is its digits.
    ["numeric sub", () => token({ claims: { sub: 12345 } })],
    ["empty sub", () => token({ claims: { sub: "" } })],
    [
      "tampered signature",
      async () => {
        const [h, p, s] = (await token()).split(".");
        return `${h}.${p}.${(s as string).slice(0, -4)}${(s as string).endsWith("AAAA") ? "BBBB" : "AAAA"}`;
      },
    ],
    [
      "alg none",
      async () => {
        const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
        const now = Math.floor(Date.now() / 1000);
        return `${encode({ alg: "none", typ: "JWT" })}.${encode({ sub: "x", iss: issuer, aud: AUDIENCE, exp: now + 300, scope: "helpcrunch:use" })}.`;
      },
    ],
  ])("%s: 401 invalid_token", async (_name, make) => {
    const r = await post(`Bearer ${await make()}`);
    expect(r.status).toBe(401);
    expect(r.challenge).toMatch(/^Bearer resource_metadata=".+", error="invalid_token", error_description=".+"$/);
  });

  it("a missing required scope: 403 insufficient_scope naming the scope", async () => {
    const r = await post(`Bearer ${await token({ scope: "helpcrunch:send" })}`);
    expect(r.status).toBe(403);
    expect(r.challenge).toMatch(/error="insufficient_scope"/);
    expect(r.challenge).toMatch(/scope="helpcrunch:use"/);
  });
});

describe("per-person identity", () => {
  it("audit lines name who asked; HELPCRUNCH_AGENT_FROM_TOKEN writes as the person's agent; another agent needs the admin scope", async () => {
    const probe = await connect(await token());
    const agents = parsed(listAgents, await probe.callTool({ name: "list_agents", arguments: {} }));
    const chats = parsed(searchChats, await probe.callTool({ name: "search_chats", arguments: { status: ["opened"], limit: 2 } }));
    await probe.close();
    const [me, other] = agents.agents;
    const client = await connect(await token({ sub: "person-7", email: me?.email }));
    const note = await client.callTool({
      name: "send_message",
      arguments: { chat_id: chats.chats[0]?.id, text: "Looking into it", private: true },
    });
    expect(note.isError).toBeFalsy();
    expect(parsed(sendMessage, note).agent.id).toBe(me?.id);
    const asOther = await client.callTool({
      name: "send_message",
      arguments: { chat_id: chats.chats[0]?.id, text: "As someone else", private: true, agent: other?.id },
    });
    expect(asOther.isError).toBe(true);
    expect(JSON.stringify(asOther.content)).toContain("helpcrunch:admin");
    await client.close();

    const lines = readFileSync(auditFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { tool: string; actor?: { sub: string; email?: string } });
    expect(lines.at(-1)).toMatchObject({ tool: "send_message", actor: { sub: "person-7", email: me?.email } });
  });

  let notes = 0;
  /** A private note in an open chat (each a new text: the same text twice is refused as a duplicate), sent with `bearer` as `agent` (or as whoever the server picks). */
  async function noteAs(bearer: string, agent?: number) {
    const probe = await connect(await token());
    const chats = parsed(searchChats, await probe.callTool({ name: "search_chats", arguments: { status: ["opened"], limit: 1 } }));
    await probe.close();
    const client = await connect(bearer);
    const result = await client.callTool({
      name: "send_message",
      arguments: { chat_id: chats.chats[0]?.id, text: `Note ${++notes}`, private: true, ...(agent === undefined ? {} : { agent }) },
    });
    await client.close();
    return {
      isError: result.isError === true,
      text: JSON.stringify(result.content),
      agent: result.isError ? undefined : parsed(sendMessage, result).agent?.id,
    };
  }

  async function demoAgents(): Promise<Array<{ id: number; email?: string }>> {
    const probe = await connect(await token());
    const agents = parsed(listAgents, await probe.callTool({ name: "list_agents", arguments: {} }));
    await probe.close();
    return agents.agents;
  }

  it("a person whose email is no agent's names an agent only with helpcrunch:admin", async () => {
    const [, other] = await demoAgents();
    const visitor = { sub: "person-8", email: "visitor@example.test" };
    const refused = await noteAs(await token(visitor), other?.id);
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain("helpcrunch:admin");
    const admin = await noteAs(await token({ ...visitor, scope: "helpcrunch:use helpcrunch:admin" }), other?.id);
    expect(admin).toMatchObject({ isError: false, agent: other?.id });
  });

  it("a token whose email_verified is false never maps to the agent with that email", async () => {
    const [me] = await demoAgents();
    const unverified = await token({ sub: "person-9", email: me?.email, claims: { email_verified: false } });
    const unnamed = await noteAs(unverified);
    expect(unnamed.isError).toBe(true);
    expect(unnamed.text).toContain("Say which agent writes this message");
    const named = await noteAs(unverified, me?.id);
    expect(named.isError).toBe(true);
    expect(named.text).toContain("helpcrunch:admin");
    const verified = await noteAs(await token({ sub: "person-9", email: me?.email, claims: { email_verified: true } }));
    expect(verified).toMatchObject({ isError: false, agent: me?.id });
  });

  it("a customer-visible reply needs the helpcrunch:send scope", async () => {
    const [me] = await demoAgents();
    // Writing as one's own agent, so the admin scope is not what is missing.
    const client = await connect(await token({ scope: "helpcrunch:use", email: me?.email }));
    const chats = parsed(searchChats, await client.callTool({ name: "search_chats", arguments: { status: ["opened"], limit: 1 } }));
    const reply = await client.callTool({
      name: "send_message",
      arguments: { chat_id: chats.chats[0]?.id, text: "Hello", agent: me?.id },
    });
    expect(reply.isError).toBe(true);
    expect(JSON.stringify(reply.content)).toContain("helpcrunch:send");
    await client.close();
  });
});

describe("an identity provider that is down", () => {
  // Its outage is the server's problem, not the person's: a 401 would send the client to sign in again, in a loop.
  it.each([
    ["answers 404 for its JWKS", "/jwks-missing"],
    ["never answers for its JWKS", "/jwks-hanging"],
  ])(
    "an issuer that %s: a valid token gets 503 with Retry-After, in bounded time",
    async (_name, path) => {
      const down = await startServer(`${issuer}${path}`);
      try {
        const started = Date.now();
        const r = await post(`Bearer ${await token({ iss: `${issuer}${path}` })}`, down.base);
        expect(r.status).toBe(503);
        expect(Number(r.retryAfter)).toBeGreaterThan(0);
        expect(r.challenge).toBe("");
        expect(Date.now() - started).toBeLessThan(12_000);
      } finally {
        down.stop();
      }
    },
    20_000,
  );
});

describe("an issuer that is misconfigured", () => {
  /** Printable ASCII only: a header with CR, LF or other characters is refused by Node (a 500) or splits the response. */
  const SAFE_HEADER = /^[\x20-\x7e]*$/;

  it("a discovery document that is HTML: 503 with Retry-After on every request, and one log line naming the problem", async () => {
    const misconfigured = await startServer(`${issuer}/html`);
    try {
      for (let i = 0; i < 2; i++) {
        const r = await post(`Bearer ${await token({ iss: `${issuer}/html` })}`, misconfigured.base);
        expect(r.status).toBe(503);
        expect(r.retryAfter).toMatch(/^\d+$/);
        expect(JSON.parse(r.body)).toMatchObject({ error: { message: expect.stringMatching(/not JSON/) } });
      }
      const lines = misconfigured
        .stderr()
        .split("\n")
        .filter((line) => line.includes(`${issuer}/html/.well-known/openid-configuration`));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/error: .*not JSON \(text\/html/);
    } finally {
      misconfigured.stop();
    }
  });

  it("a required scope outside ASCII: the 403 challenge is still a valid header, the scope percent-encoded", async () => {
    const unusual = await startServer(issuer, { MCP_OAUTH_REQUIRED_SCOPES: "helpcrunch:use,équipe–support" });
    try {
      const r = await post(`Bearer ${await token()}`, unusual.base);
      expect(r.status).toBe(403);
      expect(r.challenge).toMatch(SAFE_HEADER);
      expect(r.challenge).toContain('scope="helpcrunch:use %C3%A9quipe%E2%80%93support"');
    } finally {
      unusual.stop();
    }
  });

  it.each(["http://127.0.0.1:9/störung", "http://127.0.0.1:9/a\r\nb", "http://127.0.0.1:9/a b"])(
    "MCP_OAUTH_ISSUER %j is refused at start in one line",
    async (value) => {
      const run = await runServer({ HELPCRUNCH_API_KEY: "k", MCP_OAUTH_ISSUER: value, MCP_OAUTH_AUDIENCE: AUDIENCE });
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(/MCP_OAUTH_ISSUER must be/);
    },
  );
});

describe("the resource identifier (RFC 9728)", () => {
  /** The challenge's metadata URL, then what is served there and at the root form. */
  async function discovered(at: string) {
    const challenge = (await post(undefined, at)).challenge;
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1] ?? "";
    const local = new URL(metadataUrl);
    const served = await fetch(`${at}${local.pathname}`);
    const root = await fetch(`${at}/.well-known/oauth-protected-resource`);
    return { metadataUrl, status: served.status, metadata: await served.json(), root: await root.json() };
  }

  it("an audience that is not a URL: the resource is this server's own /mcp, its metadata at the §3.1 location", async () => {
    const opaque = await startServer(issuer, { MCP_OAUTH_AUDIENCE: "api://helpcrunch-mcp" });
    try {
      const found = await discovered(opaque.base);
      expect(found.metadataUrl).toBe(`${opaque.base}/.well-known/oauth-protected-resource/mcp`);
      expect(found.status).toBe(200);
      expect(found.metadata).toMatchObject({ resource: `${opaque.base}/mcp`, authorization_servers: [issuer] });
      expect(found.root).toMatchObject({ resource: `${opaque.base}/mcp` });
    } finally {
      opaque.stop();
    }
  });

  it("an audience URL with another path (behind a proxy): the metadata lives at that path's §3.1 location, not /mcp's", async () => {
    const audience = "https://help.example.test/support/mcp";
    const proxied = await startServer(issuer, { MCP_OAUTH_AUDIENCE: audience });
    try {
      const found = await discovered(proxied.base);
      expect(found.metadataUrl).toBe("https://help.example.test/.well-known/oauth-protected-resource/support/mcp");
      expect(found.status).toBe(200);
      expect(found.metadata).toMatchObject({ resource: audience });
      expect((await fetch(`${proxied.base}/.well-known/oauth-protected-resource/mcp`)).status).toBe(404);
    } finally {
      proxied.stop();
    }
  });
});
