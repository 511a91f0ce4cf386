/**
 * server.json, the MCP Registry entry, against the registry's schema.
 *
 * test/fixtures/server.schema.json is a transcription, not a download: the validating keywords of
 * https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json, which the registry
 * (github.com/modelcontextprotocol/registry) generates from docs/reference/api/openapi.yaml and
 * publishes from github.com/modelcontextprotocol/static (schemas/2025-12-11/server.schema.json).
 * Annotations (description, example, default) are left out. When the registry publishes a newer
 * schema, transcribe it again and move REGISTRY_SCHEMA in src/cli/docs/registry-entry.ts with it.
 *
 * The validator below knows exactly the keywords that schema uses and throws on any other, so a
 * keyword it does not understand can never pass silently. The schema allows unknown properties
 * everywhere (it has no additionalProperties: false), so a misspelt field would validate: a second
 * check requires every field name in server.json to be one the schema declares.
 * Freshness (server.json is what `npm run docs` writes now) is checked in test/docs.test.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { withManifestLists } from "../../../src/cli/docs/generated.js";
import { REGISTRY_NAME, REGISTRY_SCHEMA, renderServerJson } from "../../../src/cli/docs/registry-entry.js";
import { CUSTOMER_MESSAGE_POLICIES } from "../../../src/config.js";
import { VERSION } from "../../../src/version.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [keyword: string]: Json };

const SCHEMA = JSON.parse(readFileSync("test/fixtures/server.schema.json", "utf8")) as Schema;
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, Json>;

const ANNOTATIONS = new Set(["$comment", "$id", "$schema", "title", "description", "definitions"]);
const typeOf = (v: Json | undefined) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeOf(v) === "object";
const FORMATS: Record<string, (s: string) => boolean> = {
  uri: (s) => URL.canParse(s),
  // RFC 6570: literals and {expressions}; what it expands to must still be a URI.
  "uri-template": (s) => /^(?:[^{}\s]|\{[A-Za-z0-9_.,]+\})*$/.test(s) && URL.canParse(s.replace(/\{[^}]*\}/g, "x")),
};

/** JSON Schema draft-07, the keywords the registry schema uses; returns "path: problem" lines. */
function validate(schema: Json, value: Json, path = "$", root: Schema = SCHEMA): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: not allowed`];
  if (!isObject(schema)) throw new Error(`not a schema at ${path}`);
  const errors: string[] = [];
  const sub = (s: Json, v: Json, p: string) => validate(s, v, p, root);
  for (const [keyword, arg] of Object.entries(schema)) {
    switch (keyword) {
      case "$ref": {
        const name = /^#\/definitions\/(.+)$/.exec(String(arg))?.[1];
        const target = name === undefined ? undefined : (root.definitions as Record<string, Json> | undefined)?.[name];
        if (target === undefined) throw new Error(`unresolved $ref ${String(arg)}`);
        errors.push(...sub(target, value, path));
        break;
      }
      case "type": {
        const types = Array.isArray(arg) ? arg : [arg];
        const actual = typeOf(value);
        const ok = types.some((t) => t === actual || (t === "integer" && Number.isInteger(value)));
        if (!ok) return [`${path}: must be ${types.join(" or ")}, is ${actual}`]; // the other keywords would only repeat it
        break;
      }
      case "properties":
        if (isObject(value) && isObject(arg)) {
          for (const [key, s] of Object.entries(arg)) if (key in value) errors.push(...sub(s, value[key] ?? null, `${path}.${key}`));
        }
        break;
      case "additionalProperties":
        if (isObject(value)) {
          const declared = isObject(schema.properties) ? schema.properties : {};
          for (const [key, v] of Object.entries(value)) if (!(key in declared)) errors.push(...sub(arg, v, `${path}.${key}`));
        }
        break;
      case "required":
        if (isObject(value) && Array.isArray(arg)) {
          for (const key of arg) if (!(String(key) in value)) errors.push(`${path}: ${String(key)} is required`);
        }
        break;
      case "items":
        if (Array.isArray(value)) for (const [i, v] of value.entries()) errors.push(...sub(arg, v, `${path}[${i}]`));
        break;
      case "enum":
        if (!(arg as Json[]).some((e) => JSON.stringify(e) === JSON.stringify(value))) {
          errors.push(`${path}: must be one of ${JSON.stringify(arg)}`);
        }
        break;
      case "const":
        if (JSON.stringify(arg) !== JSON.stringify(value)) errors.push(`${path}: must be ${JSON.stringify(arg)}`);
        break;
      case "pattern":
        if (typeof value === "string" && !new RegExp(String(arg), "u").test(value)) errors.push(`${path}: must match ${String(arg)}`);
        break;
      case "minLength": // counted in code points, as JSON Schema does
        if (typeof value === "string" && [...value].length < Number(arg)) errors.push(`${path}: shorter than ${String(arg)}`);
        break;
      case "maxLength":
        if (typeof value === "string" && [...value].length > Number(arg)) errors.push(`${path}: longer than ${String(arg)}`);
        break;
      case "format": {
        const check = FORMATS[String(arg)];
        if (!check) throw new Error(`format ${String(arg)} is not implemented (${path})`);
        if (typeof value === "string" && !check(value)) errors.push(`${path}: not a ${String(arg)}`);
        break;
      }
      case "not":
        if (sub(arg, value, path).length === 0) errors.push(`${path}: must not match ${JSON.stringify(arg)}`);
        break;
      case "allOf":
        for (const s of arg as Json[]) errors.push(...sub(s, value, path));
        break;
      case "anyOf":
      case "oneOf": {
        const results = (arg as Json[]).map((s) => sub(s, value, path));
        const passing = results.filter((r) => r.length === 0).length;
        if (passing === 0) errors.push(`${path}: matches none of ${keyword} (${results.map((r) => r.join("; ")).join(" | ")})`);
        else if (keyword === "oneOf" && passing > 1) errors.push(`${path}: matches ${passing} of oneOf`);
        break;
      }
      default:
        if (!ANNOTATIONS.has(keyword)) throw new Error(`keyword ${keyword} is not implemented (${path})`);
    }
  }
  return errors;
}

/** Every property name the schema declares anywhere. */
function declaredNames(schema: Json, names = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const s of schema) declaredNames(s, names);
  else if (isObject(schema)) {
    for (const [key, s] of Object.entries(schema)) {
      if (key === "properties" && isObject(s)) for (const name of Object.keys(s)) names.add(name);
      declaredNames(s, names);
    }
  }
  return names;
}

/** Field names in a document that the schema never declares; `variables` maps are keyed by the author. */
function undeclaredFields(value: Json, declared: Set<string>, path = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => undeclaredFields(v, declared, `${path}[${i}]`));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => [
    ...(declared.has(key) ? [] : [`${path}.${key}`]),
    ...(key === "variables" && isObject(v)
      ? Object.entries(v).flatMap(([name, input]) => undeclaredFields(input, declared, `${path}.variables.${name}`))
      : undeclaredFields(v, declared, `${path}.${key}`)),
  ]);
}

const generated = () => JSON.parse(renderServerJson(withManifestLists(readFileSync("manifest.json", "utf8")))) as Record<string, Json>;

describe("server.json (MCP Registry entry)", () => {
  const server = readJson("server.json");

  it("validates against the registry's 2025-12-11 schema and names it", () => {
    expect(SCHEMA.$id).toBe(REGISTRY_SCHEMA);
    expect(server.$schema).toBe(REGISTRY_SCHEMA);
    expect(validate(SCHEMA, server)).toEqual([]);
  });

  it("uses only field names the schema declares (the schema itself lets a misspelt one through)", () => {
    expect(undeclaredFields(server, declaredNames(SCHEMA))).toEqual([]);
  });

  it("keeps its registry name, and carries the package's name and version", () => {
    const pkg = readJson("package.json");
    expect(server.name).toBe(REGISTRY_NAME);
    expect(server.version).toBe(VERSION);
    expect(server.packages).toMatchObject([{ registryType: "npm", identifier: pkg.name, version: VERSION, transport: { type: "stdio" } }]);
  });

  it("offers exactly the settings manifest.json asks for, under the names config.ts reads", () => {
    const manifest = readJson("manifest.json") as { server: { mcp_config: { env: Record<string, string> } } };
    const variables = (server.packages as Array<{ environmentVariables: Array<Record<string, Json>> }>)[0]?.environmentVariables ?? [];
    expect(variables.map((v) => v.name)).toEqual(Object.keys(manifest.server.mcp_config.env));
    const config = readFileSync("src/config.ts", "utf8");
    for (const { name } of variables) expect(config, String(name)).toContain(`  ${String(name)}: `);
    const byName = Object.fromEntries(variables.map((v) => [v.name, v]));
    expect(byName.HELPCRUNCH_API_KEY).toMatchObject({ isRequired: true, isSecret: true, format: "string" });
    expect(byName.HELPCRUNCH_READ_ONLY).toMatchObject({ isRequired: false, isSecret: false, format: "boolean", default: "false" });
    expect(byName.HELPCRUNCH_CUSTOMER_MESSAGES).toMatchObject({ choices: [...CUSTOMER_MESSAGE_POLICIES], default: "confirm" });
    expect(byName.HELPCRUNCH_ALLOW_CUSTOMER_MESSAGES).toBeUndefined(); // the old name, still read but not offered
    for (const v of variables) if (v.choices && v.default !== undefined) expect(v.choices).toContain(v.default);
  });

  it("documents the --http deployment as a streamable-http remote whose every {variable} is defined", () => {
    const remotes = server.remotes as Array<{
      type: string;
      url: string;
      variables?: object;
      headers?: Array<{ value?: string; variables?: object }>;
    }>;
    expect(remotes).toHaveLength(1);
    const [remote] = remotes;
    expect(remote).toMatchObject({ type: "streamable-http", url: expect.stringMatching(/^https:\/\/\{host\}\/mcp$/) });
    expect(remote?.headers?.map((h) => (h as { name?: string }).name)).toEqual(["Authorization"]);
    const placeholders = (template = "") => [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    expect(placeholders(remote?.url)).toEqual(Object.keys(remote?.variables ?? {}));
    for (const header of remote?.headers ?? []) expect(placeholders(header.value)).toEqual(Object.keys(header.variables ?? {}));
  });
});

/** The object at a path in a parsed entry (the cases below break one field each). */
function at(value: Json, ...path: Array<string | number>): { [key: string]: Json } {
  let v: Json | undefined = value;
  for (const step of path) v = Array.isArray(v) ? v[Number(step)] : isObject(v) ? v[String(step)] : undefined;
  if (v === undefined || !isObject(v)) throw new Error(`no object at ${path.join(".")}`);
  return v;
}

describe("the schema check is not vacuous: entries the registry refuses fail it", () => {
  const broken: Array<[string, (entry: Record<string, Json>) => void, RegExp]> = [
    ["no name", (e) => delete e.name, /\$: name is required/],
    ["a name without a namespace", (e) => (e.name = "helpcrunch-mcp"), /\$\.name: must match/],
    ["a description over 100 characters", (e) => (e.description = "x".repeat(101)), /\$\.description: longer than 100/],
    ["a package version of latest", (e) => (at(e, "packages", 0).version = "latest"), /packages\[0\]\.version: must not match/],
    ["an unknown transport", (e) => (at(e, "packages", 0).transport = { type: "websocket" }), /transport: matches none of anyOf/],
    [
      "a variable without a name",
      (e) => delete at(e, "packages", 0, "environmentVariables", 0).name,
      /environmentVariables\[0\]: name is required/,
    ],
    ["a boolean default", (e) => (at(e, "packages", 0, "environmentVariables", 1).default = false), /default: must be string/],
    ["a stdio remote", (e) => (at(e, "remotes", 0).type = "stdio"), /remotes\[0\]: matches none of anyOf/],
    ["a remote URL that is no URI template", (e) => (at(e, "remotes", 0).url = "https://{host/mcp"), /url: not a uri-template/],
    ["a remote without a URL", (e) => delete at(e, "remotes", 0).url, /url is required/],
  ];

  it.each(broken)("%s", (_, breakIt, expected) => {
    const entry = generated();
    expect(validate(SCHEMA, entry)).toEqual([]);
    breakIt(entry);
    expect(validate(SCHEMA, entry).join("\n")).toMatch(expected);
  });

  it("a misspelt field is caught by the field-name check", () => {
    const entry = generated();
    at(entry, "packages", 0).enviromentVariables = [];
    expect(undeclaredFields(entry, declaredNames(SCHEMA))).toEqual(["$.packages[0].enviromentVariables"]);
  });
});
