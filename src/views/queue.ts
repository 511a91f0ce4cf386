/**
 * The queue board (ui://helpcrunch/queue), shown with triage_queue results: the ranked chats in the
 * tool's order, one dense row each (status, SLA state, waiting time, customer, assignee, department,
 * unread), so about twenty fit in a 1,000-pixel-high view; filters by department and assignee (a new
 * triage_queue call); a row's Actions open its actions, which call the existing write tools through
 * the host and show what changed or the error sentence; refresh.
 */
import { humanDuration } from "../domain/time.js";
import { resultText, type ToolResult, ViewBridge } from "./bridge.js";
import { arr, el, num, obj, oneLine, serverSetting, show, str } from "./dom.js";
import { tomorrowAt } from "./zoned.js";

const bridge = new ViewBridge("helpcrunch-queue-board");
const root = document.getElementById("app") as HTMLElement;
const board = el("div", { id: "board" });
const notice = el("p", { class: "status", role: "status", "aria-live": "polite" });
const departmentFilter = el("select", { id: "filter-department" }, el("option", { value: "" }, "All departments"));
const assigneeFilter = el(
  "select",
  { id: "filter-assignee" },
  el("option", { value: "" }, "Anyone"),
  el("option", { value: "unassigned" }, "Unassigned"),
);
let agents: Array<{ id: number; name: string }> = [];
let filters: Record<string, unknown> = {};
/** The answer on the board, drawn again once the agents for the assign menus are known. */
let shown: ToolResult | undefined;

async function call(tool: string, args: Record<string, unknown>): Promise<ToolResult> {
  try {
    return await bridge.callTool(tool, args);
  } catch (error) {
    return { isError: true, content: [{ type: "text", text: `The host could not reach the server: ${(error as Error).message}.` }] };
  }
}

/** Agents and departments for the filters and the assign menus (read once). */
async function loadDirectory(): Promise<void> {
  const [agentList, departmentList] = await Promise.all([call("list_agents", {}), call("list_departments", {})]);
  agents = arr(agentList.structuredContent?.agents)
    .map(obj)
    .flatMap((a) => (num(a.id) !== undefined ? [{ id: num(a.id) as number, name: oneLine(str(a.name) ?? `agent ${a.id}`) }] : []));
  for (const a of agents) assigneeFilter.append(el("option", { value: String(a.id) }, a.name));
  for (const d of arr(departmentList.structuredContent?.departments).map(obj))
    if (num(d.id) !== undefined)
      departmentFilter.append(el("option", { value: String(d.id) }, oneLine(str(d.name) ?? `department ${d.id}`)));
  selectFilters();
  if (shown) render(shown);
}

function selectFilters(): void {
  departmentFilter.value = filters.department === undefined ? "" : String(filters.department);
  assigneeFilter.value = filters.assignee === undefined ? "" : String(filters.assignee);
}

async function refresh(): Promise<void> {
  notice.className = "status";
  notice.textContent = "Refreshing…";
  const args: Record<string, unknown> = { limit: 20 };
  if (departmentFilter.value) args.department = Number(departmentFilter.value);
  if (assigneeFilter.value) args.assignee = assigneeFilter.value === "unassigned" ? "unassigned" : Number(assigneeFilter.value);
  filters = args;
  const result = await call("triage_queue", args);
  notice.textContent = result.isError ? resultText(result) : "";
  notice.className = result.isError ? "status error" : "status";
  if (!result.isError) render(result);
}

const SLA_TEXT: Record<string, string> = { breached: "SLA breached", at_risk: "SLA at risk", ok: "SLA ok" };

function render(result: ToolResult): void {
  shown = result;
  const data = result.structuredContent ?? {};
  const names = obj(data.names);
  const agentName = (id: unknown) => (num(id) === undefined ? "unassigned" : oneLine(str(obj(names.agents)[String(id)]) ?? `agent ${id}`));
  const departmentName = (id: unknown) =>
    num(id) === undefined ? "no department" : oneLine(str(obj(names.departments)[String(id)]) ?? `department ${id}`);
  const counts = obj(data.counts);
  const chats = arr(data.chats).map(obj);
  show(
    board,
    el(
      "p",
      { class: "summary" },
      `${num(counts.open) ?? chats.length} open · ${num(counts.unassigned) ?? 0} unassigned · ${num(counts.awaiting_reply) ?? 0} awaiting a reply`,
      num(counts.sla_breached) !== undefined ? ` · ${counts.sla_breached} SLA breached` : "",
    ),
    chats.length === 0
      ? el("p", {}, "Nothing open here.")
      : el("ol", { class: "chats" }, ...chats.map((chat) => chatRow(chat, agentName, departmentName))),
  );
}

function chatRow(chat: Record<string, unknown>, agentName: (id: unknown) => string, departmentName: (id: unknown) => string): HTMLElement {
  const id = num(chat.id) as number;
  const customer = obj(chat.customer);
  const state = str(obj(chat.sla).state);
  const waiting = num(chat.waiting_minutes);
  const said = rowStatus.get(id);
  const status = el("p", { class: said?.className ?? "status", role: "status", "aria-live": "polite" }, said?.text);
  const panel = actionsPanel(id, chat, status);
  panel.hidden = !expanded.has(id);
  const toggle = el(
    "button",
    { type: "button", class: "compact", "data-action": "more", "aria-expanded": String(!panel.hidden), "aria-controls": panel.id },
    "Actions",
  );
  toggle.setAttribute("aria-label", `Actions: chat ${id}`);
  toggle.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
    if (panel.hidden) expanded.delete(id);
    else expanded.add(id);
  });
  const who = `${agentName(chat.assignee)} · ${departmentName(chat.department)}`;
  return el(
    "li",
    { class: `chat${state ? ` sla-${state}` : ""}`, "data-chat-id": String(id) },
    el(
      "div",
      { class: "row" },
      el("strong", {}, `#${id}`),
      el("span", { class: "pill" }, str(chat.status) ?? ""),
      state && el("span", { class: `pill sla ${state}` }, SLA_TEXT[state] ?? state),
      waiting !== undefined && el("span", { class: "waiting" }, humanDuration(waiting * 60_000)),
      el(
        "span",
        { class: "customer one-line", title: "customer-written" },
        oneLine(str(customer.name) ?? `customer ${num(customer.id) ?? "?"}`),
      ),
      el("span", { class: "who one-line muted", title: who }, who),
      chat.unread === true && el("span", { class: "pill" }, "unread"),
      toggle,
    ),
    panel,
  );
}

/** A row's actions, its customer's email and the triage reason; hidden until the row's Actions is pressed. */
function actionsPanel(id: number, chat: Record<string, unknown>, status: HTMLElement): HTMLElement {
  const detail = el("div", { class: "detail" });
  const act = async (tool: string, args: Record<string, unknown>) => {
    say(id, "status", "Working…");
    const result = await call(tool, { chat_id: id, ...args });
    // What changed is the first line (the rest repeats the chat); an error is shown whole.
    const text = resultText(result);
    say(
      id,
      result.isError ? "status error" : "status ok",
      (result.isError ? text : text.split("\n")[0]) || (result.isError ? "It failed." : "Done."),
    );
    if (!result.isError) void reloadQuietly();
  };
  // "Me" is the server's default agent (HELPCRUNCH_DEFAULT_AGENT), when one is set.
  const me = serverSetting("default-agent");
  const assignTo = el(
    "select",
    { id: `assign-${id}` },
    me && el("option", { value: `me:${me}` }, `Me (${/^\d+$/.test(me) ? `agent ${me}` : me})`),
    ...agents.map((a) => el("option", { value: String(a.id) }, a.name)),
    el("option", { value: "none" }, "Nobody (unassign)"),
  );
  const button = (label: string, onClick: () => void, name = label) => {
    const b = el("button", { type: "button", "data-action": name, "aria-label": `${label}: chat ${id}` }, label);
    b.addEventListener("click", onClick);
    return b;
  };
  const email = str(obj(chat.customer).email);
  const reason = str(chat.reason);
  return el(
    "div",
    { class: "panel", id: `actions-${id}` },
    (email || reason) &&
      el(
        "div",
        { class: "line muted" },
        email && el("span", { class: "customer one-line" }, oneLine(email)),
        reason && el("span", {}, reason),
      ),
    el(
      "div",
      { class: "actions" },
      el("label", { for: `assign-${id}`, class: "visually-hidden" }, `Assign chat ${id} to`),
      assignTo,
      button("Assign", () => void act("assign_chat", { agent: assigneeOf(assignTo.value) }), "assign"),
      button("Snooze 1h", () => void act("snooze_chat", { until: "1h" }), "snooze-1h"),
      button(
        "Snooze till tomorrow 9:00",
        () => void act("snooze_chat", { until: tomorrowAt(9, serverSetting("time-zone") || "UTC") }),
        "snooze-tomorrow",
      ),
      button("Pending", () => void act("set_chat_status", { status: "pending" }), "pending"),
      button("Close", () => void act("set_chat_status", { status: "closed" }), "close"),
      button(
        "Open",
        async () => {
          const result = await call("get_chat", { chat_id: id, messages: 10 });
          show(detail, el("pre", { class: result.isError ? "error" : "" }, resultText(result)));
        },
        "open",
      ),
    ),
    status,
    detail,
  );
}

/** The assign menu's value as assign_chat's agent: "none", the default agent's reference, or an id. */
function assigneeOf(value: string): string | number {
  if (value === "none") return "none";
  if (value.startsWith("me:")) return /^\d+$/.test(value.slice(3)) ? Number(value.slice(3)) : value.slice(3);
  return Number(value);
}

/** Rows whose actions are open, kept open across redraws of the board (one follows every change). */
const expanded = new Set<number>();

/** What each row last said (what changed, or the error), kept across redraws of the board. */
const rowStatus = new Map<number, { className: string; text: string }>();

/** Says it in the chat's row as it is on the board now (a redraw may have replaced the row meanwhile). */
function say(id: number, className: string, text: string): void {
  rowStatus.set(id, { className, text });
  const status = board.querySelector(`li.chat[data-chat-id="${id}"] .status`);
  if (!status) return;
  status.className = className;
  status.textContent = text;
}

/** After a change the board is read again; rows keep what they said. */
async function reloadQuietly(): Promise<void> {
  const result = await call("triage_queue", filters);
  if (!result.isError) render(result);
}

const refreshButton = el("button", { type: "button", id: "refresh" }, "Refresh");
refreshButton.addEventListener("click", () => void refresh());
departmentFilter.addEventListener("change", () => void refresh());
assigneeFilter.addEventListener("change", () => void refresh());
show(
  root,
  el("h1", {}, "Open queue"),
  el(
    "div",
    { class: "toolbar" },
    el("label", { for: "filter-department" }, "Department"),
    departmentFilter,
    el("label", { for: "filter-assignee" }, "Assignee"),
    assigneeFilter,
    refreshButton,
  ),
  notice,
  board,
);

bridge.ontoolinput = (args) => {
  filters = args;
  selectFilters();
};
bridge.ontoolresult = (result) => {
  if (result.isError) show(board, el("p", { class: "status error" }, resultText(result)));
  else render(result);
};
void bridge.connect().then(loadDirectory);
