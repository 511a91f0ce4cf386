/**
 * What the model is told about the customer-message policy in force: in the server's instructions,
 * and appended to the descriptions of the two tools that can reach a customer, so a model drafts
 * for the person who will read it (confirm) or knows not to try (off).
 */
import type { Tool as McpTool } from "@modelcontextprotocol/server";
import type { Config } from "../config.js";

const CUSTOMER_TOOLS = new Set(["send_message", "create_chat"]);

/** How the person at this client can approve a message: a form, an MCP Apps approval card, or not at all. */
export type ApprovalPath = "form" | "card" | "none";

/** One sentence for the tool descriptions, given how this client can ask. */
function toolNote(config: Config, path: ApprovalPath): string {
  switch (config.customerMessages) {
    case "off":
      return "Policy now: customer-visible messages are off (HELPCRUNCH_CUSTOMER_MESSAGES=off); only private notes can be posted.";
    case "on":
      return "Policy now: customer-visible messages are sent without asking anyone (HELPCRUNCH_CUSTOMER_MESSAGES=on).";
    case "confirm":
      if (path === "form")
        return "Policy now: a person sees each customer-visible message in a form before it is sent, and may edit or decline it.";
      return path === "card"
        ? "Policy now: a customer-visible message is not sent by this call; it opens an approval card where a person edits, sends or discards it."
        : "Policy now: customer-visible messages need a person's confirmation, which this client cannot show, so they are refused; post a private note instead.";
  }
}

/**
 * Sentences for the server's instructions (fixed at start, before the client says what it can do),
 * when a tool that can reach a customer is registered. They name no tool: an allowlist may omit them.
 */
export function policyNotes(config: Config, transportCanAsk: boolean, registered: readonly { name: string }[]): string[] {
  if (!registered.some((t) => CUSTOMER_TOOLS.has(t.name))) return [];
  const bulk = config.confirmBulk > 0 ? ` Changes to ${config.confirmBulk} or more chats at once are confirmed the same way.` : "";
  switch (config.customerMessages) {
    case "off":
      return ["Customer-visible messages are off: only private notes can be posted."];
    case "on":
      return ["Customer-visible messages are sent as written, without a person confirming: write the final text."];
    case "confirm":
      return transportCanAsk
        ? [
            `A person sees every customer-visible message before it is sent and may edit or decline it (in a form, or in an approval card where the client shows MCP Apps; otherwise such messages are refused).${bulk}`,
          ]
        : ["Customer-visible messages need a person's confirmation, which this connection cannot ask for: post private notes instead."];
  }
}

/** The published tool list with the policy sentence added to the customer-facing tools. */
export function withPolicy(tools: McpTool[], config: Config, path: ApprovalPath): McpTool[] {
  const note = toolNote(config, path);
  return tools.map((tool) => (CUSTOMER_TOOLS.has(tool.name) ? { ...tool, description: `${tool.description}\n${note}` } : tool));
}

/** The server's instructions under HELPCRUNCH_REDACT, so the model refers to customers by id. */
export function privacyNote(config: Config): string | undefined {
  switch (config.redact ?? "off") {
    case "off":
      return undefined;
    case "contact":
      return "Privacy mode: customers' emails and phone numbers are shown as pseudonyms (email#…, phone#…); refer to customers by id.";
    case "all":
      return "Privacy mode: customers' names (customer <id>), emails and phone numbers (email#…, phone#…) and custom data values are pseudonyms; refer to customers by id.";
  }
}
