/**
 * Rolling performance per model version over a check's window: accuracy (and ROC-AUC for binary
 * classifiers) for classifiers, mean absolute error for regressors, from the predictions joined
 * with their feedback labels.
 */
import type { DataSession } from "../../data/engine/duckdb-session.js";
import {
  type ReadLogOptions,
  readPredictionsWithFeedback,
} from "../../serve/prediction-log/read-prediction-log.js";
import { windowAuc } from "./window-auc.js";

/** One version's figures over the window. */
export interface VersionPerformance {
  /** Version label. */
  readonly version: string;
  /** Predictions answered by it (shadow copies excluded). */
  readonly predictions: number;
  /** Those with a feedback label. */
  readonly labelled: number;
  /** Share of labelled predictions that were right (classifiers; null without labels). */
  readonly accuracy: number | null;
  /**
   * ROC-AUC of the logged probability of the second class against the labels (binary classifiers;
   * null for other models, and when the labelled predictions hold a single class).
   */
  readonly auc: number | null;
  /** Mean |prediction - label| (regressors; null without labels). */
  readonly mae: number | null;
}

/** Figures of every version answering in `[since, until)`, by version. */
export async function windowPerformance(
  session: DataSession,
  logDir: string,
  window: ReadLogOptions,
): Promise<VersionPerformance[]> {
  const joined = await readPredictionsWithFeedback(logDir, window);
  const rows = await session.query(`
    SELECT version, count(*) AS predictions, count(label) AS labelled,
      count(*) FILTER (WHERE label IS NOT NULL AND json_extract_string(outputs, '$.label') IS NOT NULL) AS clabelled,
      count(*) FILTER (WHERE label IS NOT NULL
        AND json_extract_string(outputs, '$.label') = json_extract_string(label, '$')) AS correct,
      avg(abs(TRY_CAST(json_extract_string(outputs, '$.prediction') AS DOUBLE)
        - TRY_CAST(json_extract_string(label, '$') AS DOUBLE))) AS mae
    FROM (${joined.sql}) AS j WHERE NOT shadow
    GROUP BY version ORDER BY version`);
  const auc = await windowAuc(session, joined.sql);
  return rows
    .map((r) => {
      const labelled = Number(r.labelled);
      const clabelled = Number(r.clabelled);
      const mae = r.mae === null || r.mae === undefined ? null : Number(r.mae);
      return {
        version: String(r.version),
        predictions: Number(r.predictions),
        labelled,
        accuracy: clabelled === 0 ? null : Number(r.correct) / clabelled,
        auc: auc.get(String(r.version)) ?? null,
        mae: clabelled > 0 || mae === null || !Number.isFinite(mae) ? null : mae,
      };
    })
    .sort((a, b) => a.version.localeCompare(b.version, "en", { numeric: true }));
}
