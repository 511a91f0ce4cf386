/** The tables of docs/eval.md: tokens per solved task and calls per task, per category, this server against the baseline. */
import { readFileSync, writeFileSync } from "node:fs";
import type { Outcome } from "./run.js";
import { CATEGORIES } from "./types.js";

export interface Report {
  ours: Outcome[];
  baseline: Outcome[];
  seconds: number;
  tasks: number;
}

const solved = (outcomes: Outcome[]) => outcomes.filter((o) => o.problems.length === 0);
const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
const tokensPerSolved = (outcomes: Outcome[]) => mean(solved(outcomes).map((o) => o.tokens));
const callsPerTask = (outcomes: Outcome[]) => mean(outcomes.map((o) => o.calls));
const share = (a: number, b: number) => (b === 0 ? "–" : `${Math.round((100 * a) / b)}%`);

function row(label: string, ours: Outcome[], baseline: Outcome[]): string {
  const t = [tokensPerSolved(ours), tokensPerSolved(baseline)];
  return `| ${label} | ${ours.length} | ${solved(ours).length} / ${solved(baseline).length} | ${Math.round(t[0] ?? 0).toLocaleString("en")} | ${Math.round(t[1] ?? 0).toLocaleString("en")} | ${share(t[0] ?? 0, t[1] ?? 0)} | ${callsPerTask(ours).toFixed(1)} / ${callsPerTask(baseline).toFixed(1)} |`;
}

export function renderReport(report: Report): string {
  const lines = [
    "| category | tasks | solved (ours / baseline) | tokens per solved task, ours | baseline | ours ÷ baseline | calls per task (ours / baseline) |",
    "|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const category of CATEGORIES) {
    const pick = (outcomes: Outcome[]) => outcomes.filter((o) => o.task.category === category);
    if (pick(report.ours).length > 0) lines.push(row(category, pick(report.ours), pick(report.baseline)));
  }
  lines.push(row("**all**", report.ours, report.baseline));
  const definitions = (outcomes: Outcome[]) => Math.round(mean(outcomes.map((o) => o.definitions))).toLocaleString("en");
  lines.push(
    "",
    `Of which tool definitions, once per task: ours ${definitions(report.ours)}, baseline ${definitions(report.baseline)} tokens.`,
  );
  return lines.join("\n");
}

/** Replaces the part of a document between `<!-- name -->` and `<!-- /name -->`, keeping the prose around it. */
export function writeBetweenMarkers(file: string, name: string, body: string): void {
  const [start, end] = [`<!-- ${name} -->`, `<!-- /${name} -->`];
  const doc = readFileSync(file, "utf8");
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} lacks the ${start} … ${end} markers`);
  writeFileSync(file, `${doc.slice(0, from)}${start}\n${body}\n${end}${doc.slice(to + end.length)}`);
}

/** Replaces the generated tables of docs/eval.md. */
export function writeReport(file: string, report: Report): void {
  writeBetweenMarkers(
    file,
    "eval:tables",
    `${renderReport(report)}\n\n${report.tasks} tasks; the lane took ${report.seconds.toFixed(0)} s here.`,
  );
}
