/**
 * One wrapper turns every failure into a result a model can act on: `isError: true` and one
 * sentence saying what failed and what to do next. No stack traces, no raw bodies, no key, no URL password.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import { isHelpCrunchError, isNotFound } from "../helpcrunch/index.js";
import type { Logger } from "../log.js";
import { wellFormed } from "../present/unicode.js";
import { redact } from "../redact.js";
import { ToolError } from "../tool-error.js";

export function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: wellFormed(redact(message)) }] };
}

export function toErrorResult(error: unknown, toolName: string, log: Logger): CallToolResult {
  return errorResult(describeError(error, toolName, log));
}

/** The one sentence a model sees for `error`; unexpected errors are logged with their stack. */
export function describeError(error: unknown, toolName: string, log: Logger): string {
  if (error instanceof ToolError) return error.message;
  if (isHelpCrunchError(error)) {
    log.warn(`${toolName}: ${error.message}`, { status: error.status, code: error.code, request: error.request });
    return error.message;
  }
  log.error(`${toolName} failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return `${toolName} failed because of an internal error (details are in the server log). Try again, or use another tool.`;
}

/** Gives a chat-level 404 its actionable sentence; other errors pass through. */
export function chatNotFound(error: unknown, chatId: number): unknown {
  if (isNotFound(error, "chat")) {
    return new ToolError(`Chat ${chatId} not found. Use search_chats to find the id.`);
  }
  return error;
}
