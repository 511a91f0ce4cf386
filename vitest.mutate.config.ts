/**
 * Vitest config for mutation testing only (npm run mutate, see docs/mutation.md): the in-process
 * tests. Tests that spawn dist/ (test/e2e, test/compat, test/reliability/process.test.ts) are left
 * out: a spawned process never sees Stryker's active mutant, so they would only cost time, and no
 * global setup is needed to build dist/. The Stryker vitest runner sets the pool (threads) itself.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "test/helpcrunch/**/*.test.ts",
      "test/tools/**/*.test.ts",
      "test/present/**/*.test.ts",
      "test/domain/**/*.test.ts",
      "test/sandbox/**/*.test.ts",
      "test/reliability/**/*.test.ts",
      "test/config.test.ts",
    ],
    exclude: ["test/reliability/process.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
