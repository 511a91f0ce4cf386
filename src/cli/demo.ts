/**
 * `npm run demo`: a scripted session through a real MCP client over stdio, against the real
 * server started with --demo (built-in sandbox, fictional data). This is a newcomer's first look,
 * so it prints what a person wants to see: the tools, the queue, one chat read, two actions, and a
 * reply grounded in the help center (search_knowledge finds the refund article; the draft cites it).
 */
import { fileURLToPath } from "node:url";
import { type CallToolResult, Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const serverPath = fileURLToPath(new URL("./server.js", import.meta.url));
const bold = (s: string) => (process.stdout.isTTY ? `\u001b[1m${s}\u001b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\u001b[2m${s}\u001b[0m` : s);
const out = (s = "") => process.stdout.write(`${s}\n`);

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  out();
  out(bold(`▶ ${name} ${JSON.stringify(args)}`));
  const started = performance.now();
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((c) => (c.type === "text" ? c.text : `[${c.type}]`)).join("\n");
  out(
    text
      .split("\n")
      .map((line) => `  ${line}`)
      .join("\n"),
  );
  out(dim(`  (${result.isError ? "error, " : ""}${Math.round(performance.now() - started)} ms)`));
  return result;
}

function firstChatId(result: CallToolResult, skip = 0): number {
  const chats = (result.structuredContent as { chats?: Array<{ id: number }> } | undefined)?.chats ?? [];
  const chat = chats[skip] ?? chats[0];
  if (!chat) throw new Error("the demo queue is empty");
  return chat.id;
}

async function main(): Promise<void> {
  out(bold("helpcrunch-mcp demo"));
  out("A real MCP client talks to the real server over stdio; the server runs against its built-in");
  out("HelpCrunch sandbox with fictional demo data, so no API key is needed and nothing real changes.");

  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [serverPath, "--demo"],
    env: { ...(process.env as Record<string, string>), HELPCRUNCH_LOG_LEVEL: "warn" },
    stderr: "inherit",
  });
  // The demo's "person" approves every confirmation form, printing what they were shown.
  const client = new Client({ name: "helpcrunch-mcp-demo", version: "1.0.0" }, { capabilities: { elicitation: {} } });
  client.setRequestHandler("elicitation/create", (request) => {
    const params = request.params as { message: string; requestedSchema?: { properties?: { text?: { default?: string } } } };
    const draft = params.requestedSchema?.properties?.text?.default;
    out(dim("  ┌ confirmation form shown to the person:"));
    for (const line of params.message.split("\n")) out(dim(`  │ ${line}`));
    if (draft) out(dim(`  │ [text] ${draft}`));
    out(dim("  └ the person clicks Accept"));
    const content: Record<string, string | boolean> = draft ? { text: draft } : { confirm: true };
    return { action: "accept", content };
  });
  await client.connect(transport);

  const { tools } = await client.listTools();
  out();
  out(bold(`${tools.length} tools`));
  for (const tool of tools) {
    const kind = tool.annotations?.readOnlyHint ? "read " : "write";
    out(`  ${kind}  ${tool.name.padEnd(20)} ${tool.title ?? ""}`);
  }

  const triage = await call(client, "triage_queue", { limit: 5 });
  const queue = await call(client, "search_chats", { status: ["new"], assignee: "unassigned", limit: 5 });
  const chatId = firstChatId(triage);
  await call(client, "get_chat", { chat_id: chatId, messages: 6 });

  const agents = (await client.callTool({ name: "list_agents", arguments: {} })).structuredContent as {
    agents: Array<{ name?: string; id: number }>;
  };
  const agent = agents.agents[0]?.name ?? agents.agents[0]?.id;
  await call(client, "assign_chat", { chat_id: chatId, agent });
  await call(client, "snooze_chat", { chat_id: firstChatId(queue, 1), until: "2h" });
  // A grounded reply: the help center's answer, found in the customer's words and cited in the draft.
  const knowledge = await call(client, "search_knowledge", { query: "I was charged twice, can I get my money back?", limit: 3 });
  const article = (knowledge.structuredContent as { results?: Array<{ url?: string }> } | undefined)?.results?.find((r) => r.url);
  // The safety model at work: a customer-visible reply is shown to a person first (the default policy,
  // HELPCRUNCH_CUSTOMER_MESSAGES=confirm); private notes always work.
  await call(client, "send_message", {
    chat_id: chatId,
    text: `Hi! Sorry about the double charge: we refund an extra charge in full, and it reaches your card within 5–10 business days. I've started the refund now. Details: ${article?.url ?? "our refund policy"}`,
    agent,
    private: false,
  });
  await call(client, "send_message", {
    chat_id: chatId,
    text: "Picked up from the triage queue; checking with Billing before replying.",
    agent,
    private: true,
  });
  // The lead's view: how the team did this week.
  await call(client, "chat_stats", { from: "7d", group_by: "agent" });

  out();
  out(bold("Done."));
  out("Next: add the server to your MCP client with HELPCRUNCH_API_KEY (see README), or run `npm test`.");
  await client.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
