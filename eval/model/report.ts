/** The model lane's report: pass^k per task (τ-bench's estimator), tokens and calls per trial, and every adversarial trial's outcome. */
import { writeBetweenMarkers } from "../report.js";
import type { ModelReport, Trial } from "./lane.js";

const choose = (n: number, k: number): number => {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 0; i < k; i++) result = (result * (n - i)) / (i + 1);
  return result;
};
/** The chance that k trials drawn from these all pass: C(passed, k) / C(trials, k). */
export const passHatK = (trials: Trial[], k: number) =>
  trials.length < k ? 0 : choose(trials.filter((t) => t.passed).length, k) / choose(trials.length, k);

const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
const percent = (x: number) => `${Math.round(100 * x)}%`;

export interface TaskSummary {
  id: string;
  category: string;
  trials: Trial[];
  passHat1: number;
  passHatK: number;
  tokens: number;
  calls: number;
}

export function summarize(report: ModelReport): TaskSummary[] {
  const byTask = new Map<string, Trial[]>();
  for (const trial of report.trials) byTask.set(trial.task.id, [...(byTask.get(trial.task.id) ?? []), trial]);
  return [...byTask].map(([id, trials]) => ({
    id,
    category: trials[0]?.task.category ?? "",
    trials,
    passHat1: passHatK(trials, 1),
    passHatK: passHatK(trials, report.k),
    tokens: mean(trials.map((t) => t.inputTokens + t.outputTokens)),
    calls: mean(trials.map((t) => t.calls)),
  }));
}

export function renderModelReport(report: ModelReport): string {
  const tasks = summarize(report);
  const k = report.k;
  const lines = [
    `Model ${report.model} (${report.api} API), ${tasks.length} tasks × ${k} trials, ${report.seconds.toFixed(0)} s.`,
    "",
    `pass^1 ${percent(mean(tasks.map((t) => t.passHat1)))}, pass^${k} ${percent(mean(tasks.map((t) => t.passHatK)))}; tokens per trial ${Math.round(mean(tasks.map((t) => t.tokens))).toLocaleString("en")} (input + output, as the API counts them), tool calls per trial ${mean(tasks.map((t) => t.calls)).toFixed(1)}.`,
    "",
    `| task | category | passed | pass^${k} | tokens per trial | calls per trial |`,
    "|---|---|---:|---:|---:|---:|",
    ...tasks.map(
      (t) =>
        `| ${t.id} | ${t.category} | ${t.trials.filter((x) => x.passed).length} / ${t.trials.length} | ${percent(t.passHatK)} | ${Math.round(t.tokens).toLocaleString("en")} | ${t.calls.toFixed(1)} |`,
    ),
    "",
    "Adversarial tasks, every trial:",
    "",
    ...tasks
      .filter((t) => t.category === "adversarial")
      .flatMap((t) => t.trials.map((x, i) => `- ${t.id} #${i + 1}: ${x.passed ? "passed" : `FAILED: ${x.problems.join(" | ")}`}`)),
  ];
  const failures = tasks.flatMap((t) =>
    t.trials.filter((x) => !x.passed && t.category !== "adversarial").map((x) => `- ${t.id}: ${x.problems.join(" | ")}`),
  );
  if (failures.length > 0) lines.push("", "Other failed trials:", "", ...failures);
  return lines.join("\n");
}

/** Replaces the model lane's part of docs/eval.md. */
export const writeModelReport = (file: string, report: ModelReport) => writeBetweenMarkers(file, "eval:model", renderModelReport(report));
