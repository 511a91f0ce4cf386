/**
 * The reply approval card (ui://helpcrunch/reply), shown with send_message and create_chat results.
 * A draft (structuredContent.draft, with its one-time token and exact text in `_meta`) becomes a card:
 * the chat, the customer (name and email on one line each, marked as customer-written), the agent,
 * the customer's last messages, the whole text in an editable field, Send and Discard. Send posts
 * exactly what the field holds, once; any other result is shown as its text.
 */
import { resultText, type ToolResult, ViewBridge } from "./bridge.js";
import { arr, el, num, obj, oneLine, show, str } from "./dom.js";

const APPROVAL_META_KEY = "helpcrunch-mcp/approval";
const bridge = new ViewBridge("helpcrunch-reply-card");
const root = document.getElementById("app") as HTMLElement;

function row(label: string, value: string, customerWritten = false): HTMLElement {
  return el(
    "div",
    { class: "field" },
    el("span", { class: "label" }, label),
    el("span", { class: customerWritten ? "value one-line customer" : "value one-line", title: value }, value || "—"),
    customerWritten && el("span", { class: "badge" }, "customer-written"),
  );
}

function time(seconds: number | undefined): string {
  return seconds === undefined ? "" : new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
}

function renderDraft(draft: Record<string, unknown>, token: string, text: string): void {
  const chatId = num(draft.chat_id);
  const customer = obj(draft.customer);
  const agent = obj(draft.agent);
  const expires = num(draft.expires_at);
  const field = el("textarea", { id: "reply-text", rows: "6", maxlength: "10000" });
  field.value = text;
  const send = el("button", { type: "button", class: "primary", id: "send" }, "Send");
  const discard = el("button", { type: "button", id: "discard" }, "Discard");
  const status = el("p", { class: "status", role: "status", "aria-live": "polite" });
  const context = arr(draft.context).map(obj);
  const finish = async (tool: string, args: Record<string, unknown>) => {
    send.disabled = discard.disabled = field.readOnly = true;
    status.className = "status";
    status.textContent = tool === "send_approved_reply" ? "Sending…" : "Discarding…";
    try {
      const result = await bridge.callTool(tool, args);
      status.className = result.isError ? "status error" : "status ok";
      status.textContent = resultText(result) || (result.isError ? "It failed." : "Done.");
    } catch (error) {
      status.className = "status error";
      status.textContent = `The host could not reach the server: ${(error as Error).message}. Nothing was sent.`;
    }
  };
  send.addEventListener("click", () => {
    if (!field.value.trim()) {
      status.className = "status error";
      status.textContent = "The message is empty; write something or discard it.";
      return;
    }
    void finish("send_approved_reply", { token, text: field.value });
  });
  discard.addEventListener("click", () => void finish("discard_reply", { token }));
  const name = oneLine(str(customer.name) ?? "");
  const email = oneLine(str(customer.email) ?? "");
  show(
    root,
    el("h1", {}, chatId !== undefined ? `Reply to chat #${chatId}` : "First message of a new chat"),
    el(
      "section",
      { class: "fields", "aria-label": "Who it goes to" },
      row("Customer", name || (num(customer.id) !== undefined ? `customer ${num(customer.id)}` : ""), true),
      row("Email", email, true),
      row(
        "Sent as",
        oneLine([str(agent.name), str(agent.email) && `<${str(agent.email)}>`].filter(Boolean).join(" ")) || `agent ${num(agent.id)}`,
      ),
    ),
    context.length > 0 &&
      el(
        "section",
        { class: "context", "aria-label": "The customer's last messages" },
        el("h2", {}, "The customer's last messages ", el("span", { class: "badge" }, "customer-written")),
        el(
          "ol",
          {},
          ...context.map((m) =>
            el("li", {}, el("time", {}, time(num(m.created_at))), " ", el("span", { class: "customer" }, str(m.text) ?? "")),
          ),
        ),
      ),
    el("label", { for: "reply-text" }, "Message to the customer (you may edit it)"),
    field,
    el(
      "div",
      { class: "actions" },
      send,
      discard,
      expires !== undefined && el("span", { class: "hint" }, `Send works until ${time(expires)}.`),
    ),
    status,
  );
}

bridge.ontoolresult = (result: ToolResult) => {
  const draft = result.structuredContent?.draft;
  const approval = obj(result._meta?.[APPROVAL_META_KEY]);
  const token = str(approval.token);
  const text = str(approval.text);
  if (draft && token && text !== undefined && !result.isError) renderDraft(obj(draft), token, text);
  else show(root, el("p", { class: result.isError ? "status error" : "status" }, resultText(result) || "Nothing to approve."));
};

void bridge.connect();
