/**
 * Team numbers (ui://helpcrunch/stats), shown with chat_stats results: chats created and closed per
 * day as an inline SVG chart (every day of the window, one slot each), the per-agent table, and SLA
 * met shares when the answer has them. Every number is one of chat_stats' structuredContent (a day it
 * does not list had no chats): the other grouping is a second chat_stats call for the same window,
 * never a recomputation. Durations read as in the text answer ("8d 11h").
 */
import { humanDuration } from "../domain/time.js";
import { resultText, type ToolResult, ViewBridge } from "./bridge.js";
import { arr, el, num, obj, oneLine, show, str } from "./dom.js";
import { daysBetween } from "./zoned.js";

const bridge = new ViewBridge("helpcrunch-team-numbers");
const root = document.getElementById("app") as HTMLElement;
const chart = el("section", { id: "chart", "aria-label": "Chats created and closed per day" });
const table = el("section", { id: "table", "aria-label": "Per agent" });
const sla = el("section", { id: "sla" });
const heading = el("h1", {}, "Team numbers");
let input: Record<string, unknown> = {};
show(root, heading, chart, table, sla);

type Group = Record<string, unknown>;
const SVG = "http://www.w3.org/2000/svg";

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Every day of the window, days without chats included (chat_stats lists only days that have some), so bars stand one day apart. */
function everyDay(groups: Group[], data: Record<string, unknown> | undefined): Group[] {
  const window = obj(data?.window);
  const from = num(window.from);
  const to = num(window.to);
  if (from === undefined || to === undefined || to <= from) return groups;
  const byKey = new Map(groups.map((g) => [str(g.key), g]));
  return daysBetween(from * 1000, to * 1000, str(data?.time_zone) ?? "UTC").map(
    (day) => byKey.get(`day:${day}`) ?? { key: `day:${day}`, label: day, created: 0, closed: 0 },
  );
}

function drawChart(days: Group[]): void {
  const max = Math.max(1, ...days.flatMap((d) => [num(d.created) ?? 0, num(d.closed) ?? 0]));
  // A month fits the view's width; a longer window scrolls. Narrow slots drop the value labels (each bar's title keeps its number).
  const slot = Math.max(12, Math.min(44, Math.floor(640 / Math.max(1, days.length))));
  const barWidth = Math.floor((slot - 4) / 2);
  const labelEvery = Math.ceil(40 / slot);
  const height = 160;
  const base = height - 24;
  const picture = svg("svg", {
    viewBox: `0 0 ${Math.max(1, days.length) * slot} ${height}`,
    role: "img",
    "aria-labelledby": "chart-title",
    class: "chart",
  });
  picture.append(svg("title", { id: "chart-title" }, "Chats created and closed per day"));
  days.forEach((day, i) => {
    const label = oneLine(str(day.label) ?? str(day.key) ?? "");
    for (const [k, kind] of (["created", "closed"] as const).entries()) {
      const value = num(day[kind]) ?? 0;
      const h = Math.round((value / max) * (base - 16));
      const x = i * slot + 2 + k * (barWidth + 1);
      const bar = svg("rect", {
        x,
        y: base - h,
        width: barWidth,
        height: Math.max(h, 1),
        class: `bar ${kind}`,
        "data-day": str(day.key) ?? label,
        "data-kind": kind,
        "data-value": value,
      });
      bar.append(svg("title", {}, `${label}: ${value} ${kind}`));
      picture.append(bar);
      if (slot >= 30)
        picture.append(svg("text", { x: x + barWidth / 2, y: base - h - 3, class: "value", "text-anchor": "middle" }, String(value)));
    }
    if (i % labelEvery === 0)
      picture.append(
        svg("text", { x: i * slot + slot / 2, y: height - 8, class: "axis", "text-anchor": "middle" }, label.slice(5) || label),
      );
  });
  show(
    chart,
    el("h2", {}, "Created and closed per day"),
    el("p", { class: "legend" }, el("span", { class: "swatch created" }), " created ", el("span", { class: "swatch closed" }), " closed"),
    el("div", { class: "scroll" }, picture),
  );
}

/** As the text answer writes times to close: "8d 11h / 8d 23h". */
const closeTimes = (q: unknown) => {
  const time = (minutes: number | undefined) => (minutes === undefined ? "—" : minutes < 1 ? "<1m" : humanDuration(minutes * 60_000));
  const median = num(obj(q).median_minutes);
  return median === undefined ? "—" : `${time(median)} / ${time(num(obj(q).p90_minutes))}`;
};

/** "100% of 1 rating": a share means little without how many rated. */
const csat = (g: Group) => {
  const share = num(g.csat);
  if (share === undefined) return "—";
  const ratings = obj(g.ratings);
  const rated = (num(ratings.great) ?? 0) + (num(ratings.average) ?? 0) + (num(ratings.poor) ?? 0);
  return `${Math.round(share * 100)}% of ${rated} rating${rated === 1 ? "" : "s"}`;
};

function drawTable(groupBy: string, groups: Group[], total: Group | undefined): void {
  const heads = [groupBy === "agent" ? "Agent" : groupBy, "Created", "Closed", "Open", "Awaiting", "Close median / p90", "CSAT"];
  const cells = (g: Group) => [
    oneLine(str(g.label) ?? str(g.key) ?? ""),
    num(g.created) ?? 0,
    num(g.closed) ?? 0,
    num(g.open) ?? 0,
    num(g.awaiting_reply) ?? 0,
    closeTimes(g.time_to_close),
    csat(g),
  ];
  const body = groups.map((g) =>
    el("tr", { "data-key": str(g.key) ?? "" }, ...cells(g).map((c, i) => (i === 0 ? el("th", { scope: "row" }, c) : el("td", {}, c)))),
  );
  show(
    table,
    el("h2", {}, groupBy === "agent" ? "Per agent" : `Per ${groupBy}`),
    el(
      "div",
      { class: "scroll" },
      el(
        "table",
        {},
        el("thead", {}, el("tr", {}, ...heads.map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, ...body),
        total &&
          el(
            "tfoot",
            {},
            el(
              "tr",
              { "data-key": "total" },
              ...cells({ ...total, label: "Total" }).map((c, i) => (i === 0 ? el("th", { scope: "row" }, c) : el("td", {}, c))),
            ),
          ),
      ),
    ),
  );
}

function drawSla(data: Record<string, unknown>): void {
  const shares = obj(data.sla);
  const parts = (["first_reply", "next_reply"] as const).flatMap((kind) => {
    const s = obj(shares[kind]);
    const share = num(s.share);
    return share === undefined
      ? []
      : [
          el(
            "li",
            {},
            `${kind === "first_reply" ? "First reply" : "Next reply"}: ${Math.round(share * 100)}% met (${num(s.met) ?? 0} met, ${num(s.missed) ?? 0} missed)`,
          ),
        ];
  });
  show(sla, ...(parts.length ? [el("h2", {}, "SLA"), el("ul", {}, ...parts)] : []));
}

/** The same window (and filters) grouped another way: a chat_stats call, numbers as it answers them. */
async function other(data: Record<string, unknown>, groupBy: "day" | "agent"): Promise<Record<string, unknown> | undefined> {
  const window = obj(data.window);
  const from = num(window.from);
  const to = num(window.to);
  if (from === undefined || to === undefined) return undefined;
  const args: Record<string, unknown> = {
    from: new Date(from * 1000).toISOString(),
    to: new Date(to * 1000).toISOString(),
    group_by: groupBy,
  };
  for (const key of ["department", "assignee"]) if (input[key] !== undefined) args[key] = input[key];
  const result = await bridge.callTool("chat_stats", args).catch(() => undefined);
  return result && !result.isError ? result.structuredContent : undefined;
}

async function render(result: ToolResult): Promise<void> {
  if (result.isError) {
    show(chart, el("p", { class: "status error" }, resultText(result)));
    return;
  }
  const data = result.structuredContent ?? {};
  const groupBy = str(data.group_by) ?? "agent";
  const window = obj(data.window);
  heading.textContent = `Team numbers, ${new Date((num(window.from) ?? 0) * 1000).toISOString().slice(0, 10)} to ${new Date(((num(window.to) ?? 1) - 1) * 1000).toISOString().slice(0, 10)} (${str(data.time_zone) ?? "UTC"})`;
  drawSla(data);
  const days = groupBy === "day" ? data : await other(data, "day");
  drawChart(everyDay(arr(days?.groups).map(obj), days));
  const perAgent = groupBy === "day" ? await other(data, "agent") : data;
  const tableData = perAgent ?? data;
  drawTable(str(tableData.group_by) ?? groupBy, arr(tableData.groups).map(obj), tableData.total ? obj(tableData.total) : undefined);
}

bridge.ontoolinput = (args) => {
  input = args;
};
bridge.ontoolresult = (result) => void render(result);
void bridge.connect();
