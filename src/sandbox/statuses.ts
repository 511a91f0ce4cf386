/**
 * The sandbox's own chat status tables (it shares nothing with the client, so a client bug in
 * status handling cannot be mirrored here and pass unnoticed).
 */
import type { SandboxStatus } from "./types.js";

/** Canonical statuses as stored; serialize.ts decides how they read back. */
export const SANDBOX_STATUSES: readonly SandboxStatus[] = ["new", "opened", "pending", "onhold", "no communication", "closed", "empty"];

/** `empty` is a read-only state HelpCrunch gives chats without messages. */
export type WritableSandboxStatus = Exclude<SandboxStatus, "empty">;
export const WRITABLE_SANDBOX_STATUSES: readonly WritableSandboxStatus[] = [
  "new",
  "opened",
  "pending",
  "onhold",
  "no communication",
  "closed",
];

export const isSandboxStatus = (value: unknown): value is SandboxStatus => (SANDBOX_STATUSES as readonly unknown[]).includes(value);
