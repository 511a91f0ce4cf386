/**
 * A real redis-server for the tests: its own instance on a free loopback port, no persistence, a
 * temporary directory; stopped (and restartable on the same port) by the test. No mock: the global
 * setup installs redis-server when it is missing (test/prerequisites.ts); where it cannot, the tests
 * skip loudly, and under CI=true the run fails instead.
 */
import { inject } from "vitest";

export { maxInWindow, type RedisServer, startRedis } from "./redis-server.js";

/** Why redis-server cannot run here (the tests using it skip), or undefined. */
export const redisMissing = inject("prerequisites").redis;
