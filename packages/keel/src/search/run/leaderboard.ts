/**
 * The leaderboard of a search: every finished or failed trial, best first. Trials at a larger
 * budget rank above smaller ones (a halving rung's survivors are measured on more data or
 * rounds), then by score; failed trials come last.
 */

import { splitModelConfig } from "../space/combined-space.js";
import type { ParamValue } from "../space/types.js";
import type { TrialRecord } from "./trial-record.js";

/** One row of the leaderboard. */
export interface LeaderboardRow {
  /** 1-based rank (failed trials are ranked after every finished one). */
  readonly rank: number;
  /** Trial index. */
  readonly trial: number;
  /** Catalog model. */
  readonly model: string;
  /** The model's params of this trial (prefix removed). */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Budget fraction the trial ran with. */
  readonly budget: number;
  /** Halving rung, when the strategy has rungs. */
  readonly rung?: number;
  /** FINISHED or FAILED. */
  readonly status: "FINISHED" | "FAILED";
  /** Mean of the metric over the folds (its real value, not negated), null when failed. */
  readonly mean: number | null;
  /** Its standard deviation over the folds. */
  readonly std: number | null;
  /** Wall time of the trial's cross-validation, in seconds. */
  readonly fitTimeS: number;
  /** The trial's run id. */
  readonly runId: string;
  /** Why it failed. */
  readonly error?: string;
}

/** Ranks `trials` (see the module comment); ties keep the lower trial index first. */
export function buildLeaderboard(trials: readonly TrialRecord[], metric: string): LeaderboardRow[] {
  const ordered = [...trials].sort(
    (a, b) =>
      Number(a.score === null) - Number(b.score === null) ||
      b.proposal.budget - a.proposal.budget ||
      (b.score ?? 0) - (a.score ?? 0) ||
      a.proposal.index - b.proposal.index,
  );
  return ordered.map((t, i) => {
    const { model, params } = splitModelConfig(t.proposal.config);
    return {
      rank: i + 1,
      trial: t.proposal.index,
      model,
      params,
      budget: t.proposal.budget,
      ...(t.proposal.rung !== undefined ? { rung: t.proposal.rung } : {}),
      status: t.score === null ? "FAILED" : "FINISHED",
      mean: t.score === null ? null : (t.metrics[`cv_${metric}_mean`] ?? null),
      std: t.score === null ? null : (t.metrics[`cv_${metric}_std`] ?? null),
      fitTimeS: t.fitTimeS,
      runId: t.runId,
      ...(t.error !== undefined ? { error: t.error } : {}),
    };
  });
}

/** The leaderboard as CSV (params as JSON), for `search/leaderboard.csv`. */
export function leaderboardCsv(rows: readonly LeaderboardRow[], metric: string): string {
  const header = [
    "rank",
    "trial",
    "model",
    "params",
    "budget",
    "rung",
    "status",
    `${metric}_mean`,
    `${metric}_std`,
    "fit_time_s",
    "run_id",
    "error",
  ];
  const lines = rows.map((r) =>
    [
      r.rank,
      r.trial,
      r.model,
      JSON.stringify(r.params),
      r.budget,
      r.rung,
      r.status,
      r.mean,
      r.std,
      r.fitTimeS,
      r.runId,
      r.error,
    ]
      .map(csvCell)
      .join(","),
  );
  return `${[header.join(","), ...lines].join("\n")}\n`;
}

function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
