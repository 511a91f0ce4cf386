/** Distribution metadata: the MCP bundle manifest, the registry server.json, and package contents. */
import { readFileSync } from "node:fs";
import { MANIFEST_SCHEMAS } from "@anthropic-ai/mcpb";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { TOOL_NAMES } from "../src/tools/index.js";
import { VERSION } from "../src/version.js";

const read = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

describe("manifest.json (MCPB)", () => {
  const manifest = read("manifest.json");

  it("validates against the official MCPB 0.3 schema", () => {
    const result = MANIFEST_SCHEMAS["0.3"].safeParse(manifest);
    expect(result.success, JSON.stringify(result.error?.issues ?? [])).toBe(true);
  });

  it("asks for the API key as a sensitive setting and read-only as a boolean, and lists every tool", () => {
    const config = manifest.user_config as Record<string, { type: string; sensitive?: boolean; required?: boolean }>;
    expect(config.api_key).toMatchObject({ type: "string", sensitive: true, required: true });
    expect(config.read_only?.type).toBe("boolean");
    expect((manifest.tools as Array<{ name: string }>).map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
    expect(manifest.version).toBe(VERSION);
  });

  it("passes each setting to the server as an environment variable; customer messages are off, confirm or on, default confirm", () => {
    const config = manifest.user_config as Record<string, { type: string; default?: unknown; description: string }>;
    expect(config.default_agent?.type).toBe("string");
    expect(config.customer_messages).toMatchObject({ type: "string", default: "confirm" });
    expect(config.customer_messages?.description).toMatch(/\boff\b.*\bconfirm\b.*\bon\b/);
    expect((manifest.server as { mcp_config: { env: Record<string, string> } }).mcp_config.env).toEqual({
      HELPCRUNCH_API_KEY: "${user_config.api_key}",
      HELPCRUNCH_READ_ONLY: "${user_config.read_only}",
      HELPCRUNCH_DEFAULT_AGENT: "${user_config.default_agent}",
      HELPCRUNCH_CUSTOMER_MESSAGES: "${user_config.customer_messages}",
      HELPCRUNCH_REDACT: "${user_config.privacy}",
    });
    expect(config.privacy).toMatchObject({ type: "string", default: "off" });
    expect(config.privacy?.description).toMatch(/\boff\b.*\bcontact\b.*\ball\b/);
  });
});

describe("server.json (MCP registry)", () => {
  const registryServer = z.object({
    $schema: z.string().url(),
    name: z.string().regex(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/),
    description: z.string().min(1).max(100),
    version: z.string(),
    packages: z.array(
      z.object({
        registryType: z.literal("npm"),
        identifier: z.string(),
        version: z.string(),
        transport: z.object({ type: z.enum(["stdio", "streamable-http", "sse"]) }),
        environmentVariables: z.array(
          z.object({ name: z.string(), description: z.string(), isRequired: z.boolean().optional(), isSecret: z.boolean().optional() }),
        ),
      }),
    ),
  });

  it("has the fields the registry requires, in sync with package.json", () => {
    const server = read("server.json");
    const parsed = registryServer.parse(server);
    const pkg = read("package.json");
    expect(parsed.version).toBe(VERSION);
    expect(parsed.packages[0]?.identifier).toBe(pkg.name);
    expect(parsed.packages[0]?.version).toBe(VERSION);
    expect(parsed.packages[0]?.environmentVariables.find((v) => v.name === "HELPCRUNCH_API_KEY")).toMatchObject({
      isRequired: true,
      isSecret: true,
    });
  });
});

describe("docs/deploy/Dockerfile", () => {
  it("copies every dist/ path the npm package ships into the image (the server loads dist/vendor/ when first needed)", () => {
    const copied = readFileSync("docs/deploy/Dockerfile", "utf8")
      .split("\n")
      .filter((line) => line.startsWith("COPY --from=build "))
      .flatMap((line) => line.split(/\s+/).slice(2, -1))
      .map((path) => path.replace(/^\/src\//, ""));
    const shipped = (read("package.json").files as string[]).filter((path) => path.startsWith("dist/"));
    expect(shipped.length).toBeGreaterThan(2);
    expect(shipped.filter((path) => !copied.includes(path))).toEqual([]);
  });
});
