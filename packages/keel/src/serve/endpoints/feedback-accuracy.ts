/**
 * Accuracy per version from feedback: the prediction log joined with the feedback labels on
 * request id and row (DuckDB), counting a prediction correct when its label equals the true one.
 */
import { DataSession } from "../../data/engine/duckdb-session.js";
import { sqlString } from "../../data/engine/sql-text.js";
import { readPredictionsWithFeedback } from "../prediction-log/read-prediction-log.js";

/** Labelled outcomes of one version. */
export interface VersionAccuracy {
  /** Model name. */
  readonly model: string;
  /** Version label. */
  readonly version: string;
  /** True when these are shadow answers (never returned). */
  readonly shadow: boolean;
  /** Logged predictions. */
  readonly predictions: number;
  /** Predictions with a feedback label. */
  readonly labelled: number;
  /** Labelled predictions that were right. */
  readonly correct: number;
  /** correct / labelled (null without labels). */
  readonly accuracy: number | null;
}

/**
 * Outcomes per (model, version, shadow) of the predictions of `endpoint` logged in `logDir`
 * since `since` (epoch ms), classification only (regression rows count as unlabelled).
 */
export async function accuracyByVersion(
  logDir: string,
  endpoint: string,
  since?: number,
): Promise<VersionAccuracy[]> {
  const joined = await readPredictionsWithFeedback(logDir, { since });
  const rows = await DataSession.use((s) =>
    s.query(`
      SELECT model, version, shadow, count(*) AS predictions,
        count(label) AS labelled,
        count(*) FILTER (WHERE label IS NOT NULL
          AND json_extract_string(outputs, '$.label') = json_extract_string(label, '$')) AS correct
      FROM (${joined.sql}) WHERE endpoint = ${sqlString(endpoint)}
      GROUP BY model, version, shadow ORDER BY model, version, shadow`),
  );
  return rows.map((r) => {
    const labelled = Number(r.labelled);
    const correct = Number(r.correct);
    return {
      model: String(r.model),
      version: String(r.version),
      shadow: Boolean(r.shadow),
      predictions: Number(r.predictions),
      labelled,
      correct,
      accuracy: labelled === 0 ? null : correct / labelled,
    };
  });
}
