// Mutation testing (npm run mutate): not part of CI or npm test, see docs/mutation.md.
// @ts-check
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutate.config.ts" },
  // The safety machinery and the client core. src/mcp/http-server.ts: only its request checks, by line range (keep the
  // ranges on these functions when the file changes): tokenMatches + readJson, refusal, the request handler + serve.
  mutate: [
    "src/tools/kit/message-safety.ts",
    "src/services/reply-guard.ts",
    "src/tools/kit/audited.ts",
    "src/services/audit.ts",
    "src/tools/kit/chat-write.ts",
    "src/tools/kit/bulk-write.ts",
    "src/config.ts",
    "src/mcp/http-server.ts:37-69",
    "src/mcp/http-server.ts:78-85",
    "src/mcp/http-server.ts:113-145",
    "src/helpcrunch/http-transport.ts",
    "src/helpcrunch/retry.ts",
    "src/helpcrunch/rate-limiter.ts",
    "src/helpcrunch/dialect.ts",
  ],
  // Two cores: two test-runner processes, each running vitest in one thread.
  concurrency: 2,
  coverageAnalysis: "perTest",
  // Mutants that run only at import (the zod env schema, constant tables) are reported as Ignored: each one
  // would reload vitest and run every related test, which Stryker estimated at about 2 h on 2 cores.
  ignoreStatic: true,
  // Results are kept in reports/ (gitignored); the next run retests only mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  // Not needed in the sandbox copy: builds, coverage output and the Python venv of the compat tests.
  ignorePatterns: ["/dist", "/dist-bench", "/coverage", "/.venv-compat", "*.tgz", "*.mcpb"],
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  // Reported, never enforced: the rule is that the score may only go up (docs/mutation.md).
  thresholds: { high: 80, low: 60, break: null },
  timeoutMS: 10_000,
  tempDirName: ".stryker-tmp",
};
