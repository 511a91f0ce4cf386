// `npm run build`, after `tsc -p tsconfig.build.json` has type-checked src/ (it emits nothing).
//
// dist/server.js is the published program: ONE file with the MCP SDK and zod inlined, and the
// libraries it loads only when needed (undici, ioredis, jose) in dist/vendor/, so the npm package has
// no runtime dependencies and the MCP bundle (.mcpb) needs no node_modules. The SDK's ajv (used only
// to check a confirmation form's answer) goes to dist/vendor/ajv.cjs too: see lazyAjv. The file is a
// small ES module launcher carrying the server's code as a string that it compiles through V8's code
// cache (launcherSource), so a start after the first skips most of the compiling.
// dist/server.js.map is an external source map with sourcesContent, of the code in that string:
// `node --enable-source-maps dist/server.js` (or NODE_OPTIONS=--enable-source-maps) gives stack
// traces in src/ (the launcher then compiles it as a module, without the cache). It is not turned
// on by default because Node would then read and parse the whole map at every start.
//
// What is lazy stays lazy, without code splitting: esbuild inlines the dynamic imports of
// ./sandbox/index.js (--demo), ./http.js (--http) and ./doctor/index.js (doctor) as modules that are
// evaluated only when their import() runs.
// One thing esbuild does not keep lazy: an `import … from "node:http"` inside such a module is hoisted
// to the top of the bundle, so node:http, node:http2, node:crypto and TLS would load at every start.
// The lazyBuiltins plugin turns those imports into require() calls made when the importing module is
// evaluated. (Code splitting would also do it, but then dist/server.js would be a stub importing
// shared chunks instead of one self-contained file.)
//
// Start-up cost is mostly compiling this one file, so size matters: whitespace, syntax and names are
// minified (the map restores names in stack traces), and
// zod's 40 translations of its error messages (400 KB, `z.locales`, never used here: zod speaks
// English unless told otherwise) are left out by zodEnglishOnly. `npm run bench` reports the result
// against bare `node -e 0`.
//
// The other dist/ programs (dist/demo.js, dist/sandbox/cli.js, dist/docs/write-tools-doc.js) are
// development tools that npm scripts, the README and docs run from a checkout. They are bundled at
// the same paths with packages left as imports from node_modules, and are not published
// (package.json "files" ships dist/server.js and its map only). tsc no longer emits: its output would
// be a second, unbundled copy of src/ in dist/ (the benchmark compiles its own, see tsconfig.bench.json).
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const builtins = new Set(builtinModules.flatMap((name) => (name.startsWith("node:") ? [name] : [name, `node:${name}`])));

/** `import … from "node:x"` becomes `require("node:x")`, run where the importing module is evaluated. */
/** @type {import("esbuild").Plugin} */
const lazyBuiltins = {
  name: "lazy-node-builtins",
  setup(b) {
    b.onResolve({ filter: /^[a-z0-9_:/]+$/ }, (args) =>
      args.kind === "import-statement" && builtins.has(args.path) ? { path: args.path, namespace: "lazy-builtin" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: "js",
    }));
  },
};

/**
 * Libraries a start-up does not need are bundled into files of their own under dist/vendor/ and
 * imported from there when first needed, so starting and answering tools/list does not even parse
 * them: undici (the first HelpCrunch request, src/helpcrunch/http-transport.ts; 535 KB: V8 compiles
 * the whole module file at start, and leaving it out took the tools/list ÷ bare node ratio from 2.6
 * to 2.3 and RSS at that moment down 7 MB), ioredis (HELPCRUNCH_REDIS_URL) and jose (OAuth). They
 * share no state with the server's code.
 */
const VENDOR = { ioredis: 'export { Redis } from "ioredis";', jose: 'export * from "jose";', undici: 'export { Pool } from "undici";' };
/** `import("undici")` becomes a require of ./vendor/undici.cjs made when that import() runs. */
/** @type {import("esbuild").Plugin} */
const vendorFiles = {
  name: "vendor-files",
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${Object.keys(VENDOR).join("|")})$`) }, (args) =>
      args.kind === "dynamic-import" ? { path: args.path, namespace: "lazy-vendor" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-vendor" }, (args) => ({
      contents: `module.exports = require("./vendor/${args.path}.cjs");`,
      loader: "js",
    }));
  },
};

/** A require of ./vendor/NAME.cjs (from vendorFiles and lazyAjv) stays a require of the file beside dist/server.js. */
/** @type {import("esbuild").Plugin} */
const vendorRequires = {
  name: "vendor-requires",
  setup(b) {
    b.onResolve({ filter: /^\.\/vendor\/[a-z]+\.cjs$/ }, (args) =>
      args.kind === "require-call" ? { path: args.path, external: true } : undefined,
    );
  },
};

/**
 * The SDK's JSON Schema validator (ajv, bundled inside the SDK: ~300 KB before minifying) is
 * evaluated when the SDK loads, yet a server uses it only to check the answer to a confirmation
 * form (elicitation). Its shim (`@modelcontextprotocol/server/_shims`) is replaced by a validator
 * that requires dist/vendor/ajv.cjs on its first getValidator() call; the SDK calls nothing else on it.
 * CommonJS, so the load is synchronous as getValidator is.
 */
/** @type {import("esbuild").Plugin} */
const lazyAjv = {
  name: "lazy-ajv",
  setup(b) {
    b.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, (args) =>
      args.importer.includes(`${join("node_modules", "@modelcontextprotocol")}`) ? { path: args.path, namespace: "lazy-ajv" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-ajv" }, () => ({
      contents: `import process from "node:process";
let Ajv;
export class DefaultJsonSchemaValidator {
  #ajv;
  getValidator(schema) {
    Ajv ??= require("./vendor/ajv.cjs").AjvJsonSchemaValidator;
    this.#ajv ??= new Ajv();
    return this.#ajv.getValidator(schema);
  }
}
export { process };`,
      resolveDir: root,
      loader: "js",
    }));
  },
};

/** zod/v4/locales/index.js re-exports English only (zod's default, imported by zod itself from ./en.js). */
/** @type {import("esbuild").Plugin} */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

/** What the server's CommonJS function is called with (see launcherSource). */
const SERVER_PARAMS = "(function (require, module, exports, __filename, __dirname, __importMetaUrl) {";

/**
 * dist/server.js: the server's code is a string in this one file, compiled with V8's code cache.
 * Most of a start-up was compiling the bundle (about a fifth of its CPU); Node 22 caches compiled
 * modules (module.enableCompileCache), Node 20 does not, but vm.Script takes and makes the same V8
 * cache. The first start writes it (after start-up, so the functions start-up ran are in it) to
 * HELPCRUNCH_CODE_CACHE (a folder; "off" for none), by default $XDG_CACHE_HOME/helpcrunch-mcp or
 * ~/.cache/helpcrunch-mcp, one file per build, Node version and architecture; later starts read it.
 * V8 checks a cache against the source and its own version and flags, and compiles anew when one
 * does not match. A folder that cannot be written costs only the cache.
 */
/** @param {string} code */
function launcherSource(code) {
  const build = createHash("sha256").update(code).digest("hex").slice(0, 16);
  return `#!/usr/bin/env node
// helpcrunch-mcp ${version}: the server's code is the string below, compiled through V8's code cache (scripts/build.mjs).
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
const code = ${JSON.stringify(code)};
const filename = fileURLToPath(import.meta.url);
const setting = process.env.HELPCRUNCH_CODE_CACHE;
const folder = setting === "off" ? undefined : setting || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "helpcrunch-mcp");
const file = folder && join(folder, \`server-${build}-\${process.version}-\${process.arch}.v8\`);
const debug = (line) => process.env.HELPCRUNCH_LOG_LEVEL === "debug" && process.stderr.write(\`[helpcrunch-mcp] debug: code cache: \${line}\\n\`);
let cachedData;
try {
  cachedData = file && !process.sourceMapsEnabled && readFileSync(file);
} catch {}
// Source maps (node --enable-source-maps) apply to code Node compiles as a module, not to a vm.Script: then no cache.
if (process.sourceMapsEnabled) {
  const module = new Module(filename);
  module.filename = filename;
  module._compile(\`module.exports = \${code}\`, filename);
  run(module.exports);
} else {
  const script = new Script(code, { filename, cachedData: cachedData || undefined });
  const refused = Boolean(cachedData) && script.cachedDataRejected;
  // The cache's bytes are V8's now: not kept (about 1 MB).
  if (cachedData && !refused) debug(\`used \${file}\`);
  else if (file) saveSoon(script, refused);
  cachedData = undefined;
  run(script.runInThisContext());
}

function saveSoon(script, refused) {
  setTimeout(() => {
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      const temporary = \`\${file}.\${process.pid}\`;
      writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
      renameSync(temporary, file);
      for (const old of readdirSync(folder))
        if (old.startsWith("server-") && old.endsWith(".v8") && join(folder, old) !== file) rmSync(join(folder, old), { force: true });
      debug(\`\${refused ? "rejected, written again" : "written"}: \${file}\`);
    } catch (error) {
      debug(\`not written (\${error.message})\`);
    }
  }, 100).unref();
}

function run(server) {
  const module = { exports: {} };
  server(createRequire(import.meta.url), module, module.exports, filename, dirname(filename), import.meta.url);
}
`;
}

/** @type {import("esbuild").BuildOptions} */
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  sourcesContent: true,
  logLevel: "warning",
};

rmSync(join(root, "dist"), { recursive: true, force: true });

// tools/list, computed here once instead of at every start (src/runtime/publish.ts): the
// registry is bundled to a temporary module, imported, and its published entries inlined below.
const publishDir = join(root, "dist", ".publish");
await build({
  ...common,
  sourcemap: false,
  stdin: {
    contents:
      'import { APP_TOOLS, TOOLS } from "./src/tools/index.ts"; import { publishTool } from "./src/runtime/publish.ts"; export const tools = Object.fromEntries([...TOOLS, ...APP_TOOLS].map((t) => [t.name, publishTool(t)]));',
    resolveDir: root,
    loader: "ts",
  },
  outfile: join(publishDir, "tools.mjs"),
  packages: "external",
});
const { tools: publishedTools } = await import(pathToFileURL(join(publishDir, "tools.mjs")).href);
rmSync(publishDir, { recursive: true, force: true });

// The MCP Apps views (src/views/): each one self-contained HTML file, its script and the shared CSS
// inlined (hosts load a view with no network: the default MCP Apps CSP allows none). Written to
// dist/views/ (read there under vitest) and inlined in dist/server.js (src/mcp/views.ts).
const VIEW_NAMES = ["reply", "queue", "stats"];
/** @type {Record<string, string>} */
const VIEW_TITLES = { reply: "Reply approval", queue: "Open queue", stats: "Team numbers" };
const css = readFileSync(join(root, "src/views/views.css"), "utf8");
/** @type {Record<string, string>} */
const views = {};
for (const name of VIEW_NAMES) {
  const bundled = await build({
    entryPoints: [join(root, "src/views", `${name}.ts`)],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    logLevel: "warning",
  });
  // A script may not contain "</script": esbuild escapes it in strings, and the views write no HTML.
  const script = (bundled.outputFiles[0]?.text ?? "").replace(/<\/script/gi, "<\\/script");
  views[name] = [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="helpcrunch-time-zone" content="UTC">',
    `<title>${VIEW_TITLES[name]}</title>`,
    `<style>${css}</style></head>`,
    `<body><main id="app"></main><script>${script}</script></body></html>`,
  ].join("");
  mkdirSync(join(root, "dist", "views"), { recursive: true });
  writeFileSync(join(root, "dist", "views", `${name}.html`), views[name]);
}

// The server's code, as one CommonJS function: dist/server.js runs it through V8's code cache (see
// launcherSource) and passes it what an ES module would have (require, its own URL).
const serverBuild = await build({
  ...common,
  format: "cjs",
  entryPoints: { server: join(root, "src/server.ts") },
  outdir: join(root, "dist"),
  write: false,
  sourcemap: "external",
  minifyWhitespace: true,
  minifySyntax: true,
  // Shorter names: ~0.5 MB less RSS at start (a smaller script source). Stack traces stay readable
  // through the source map (node --enable-source-maps); error classes set their own names.
  // BUILD_KEEP_NAMES=1 keeps them, for a CPU profile (node --cpu-prof) that names functions.
  minifyIdentifiers: process.env.BUILD_KEEP_NAMES !== "1",
  plugins: [lazyBuiltins, zodEnglishOnly, vendorRequires, vendorFiles, lazyAjv],
  // The version is read from package.json here, once: the .mcpb carries no package.json (src/version.ts).
  define: {
    HELPCRUNCH_MCP_VERSION: JSON.stringify(version),
    HELPCRUNCH_PUBLISHED_TOOLS: JSON.stringify(publishedTools),
    HELPCRUNCH_VIEWS: JSON.stringify(views),
    "import.meta.url": "__importMetaUrl",
  },
});
const output = (/** @type {string} */ suffix) => serverBuild.outputFiles.find((f) => f.path.endsWith(suffix))?.text ?? "";
// esbuild's own sourceMappingURL line is replaced: the map is of the code inside the string.
// The function's head takes the place of the shebang's line, so the map's lines still match.
const serverJs = output(".js");
if (!serverJs.startsWith("#!")) throw new Error("build: src/server.ts must start with its #! line");
const serverCode = `${serverJs.replace(/^#!.*\n/, `${SERVER_PARAMS}\n`).replace(/\n\/\/# sourceMappingURL=.*\n?$/, "")}\n})\n//# sourceMappingURL=server.js.map\n`;
writeFileSync(join(root, "dist", "server.js"), launcherSource(serverCode), { mode: 0o755 });
writeFileSync(join(root, "dist", "server.js.map"), output(".js.map"));

for (const [name, contents] of Object.entries(VENDOR)) {
  await build({
    ...common,
    stdin: { contents, resolveDir: root, loader: "js" },
    outfile: join(root, "dist", "vendor", `${name}.cjs`),
    format: "cjs",
    minify: true,
    sourcemap: false,
  });
}

await build({
  ...common,
  stdin: {
    contents: 'export { DefaultJsonSchemaValidator as AjvJsonSchemaValidator } from "@modelcontextprotocol/server/_shims";',
    resolveDir: root,
    loader: "js",
  },
  outfile: join(root, "dist", "vendor", "ajv.cjs"),
  format: "cjs",
  minify: true,
  sourcemap: false,
});

await build({
  ...common,
  entryPoints: {
    demo: join(root, "src/cli/demo.ts"),
    "sandbox/cli": join(root, "src/sandbox/cli.ts"),
    "docs/write-tools-doc": join(root, "src/cli/docs/write-tools-doc.ts"),
  },
  outdir: join(root, "dist"),
  packages: "external",
});
