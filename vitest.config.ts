import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Builds dist/ when it is missing or stale, so `npx vitest run test/e2e/...` works on its own.
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores: forks keep spawned stdio servers isolated without oversubscribing.
    pool: "forks",
    // Most files wait on spawned servers and sockets, not the CPU: three workers keep two cores busy.
    maxWorkers: 3,
  },
});
