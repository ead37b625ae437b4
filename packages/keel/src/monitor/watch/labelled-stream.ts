/**
 * Feedback not yet fed to the concept detectors: predictions joined with their labels on request
 * id and row, in prediction-time order, each as an outcome (wrong or not for classifiers, the
 * absolute error for regressors).
 *
 * Labels are picked by the time they were recorded. A label recorded at time T may be appended
 * a moment after a check read the log, so each check re-reads the last {@link LABEL_SETTLE_MS}
 * before its cursor and skips the keys it already fed there: nothing is fed twice or missed.
 */
import type { DataSession } from "../../data/engine/duckdb-session.js";
import { sqlString } from "../../data/engine/sql-text.js";
import { logTime } from "../../serve/prediction-log/log-schema.js";
import { readPredictionsWithFeedback } from "../../serve/prediction-log/read-prediction-log.js";

/** How far behind the cursor each check looks again for labels written late. */
export const LABEL_SETTLE_MS = 10_000;

/** One labelled prediction. */
export interface LabelledOutcome {
  /** `request_id/row`. */
  readonly key: string;
  /** Model version label that answered. */
  readonly version: string;
  /** Prediction time (epoch ms). */
  readonly time: number;
  /** Label time (epoch ms). */
  readonly labelTime: number;
  /** Classifiers: whether the predicted label differs from the true one. */
  readonly wrong: boolean | null;
  /** Regressors: |prediction - label|. */
  readonly absError: number | null;
}

/** Outcomes of labels recorded after the cursor, and the cursor after them. */
export interface NewOutcomes {
  /** In prediction-time order. */
  readonly outcomes: readonly LabelledOutcome[];
  /** Cursor to save. */
  readonly labelCursor: number;
  /** Keys to remember (within the settle lag of the new cursor). */
  readonly recentKeys: [string, number][];
}

/**
 * Labelled predictions of the log in `logDir` whose label was recorded after `labelCursor`,
 * except `recentKeys` (fed already). Shadow answers are left out.
 */
export async function readNewOutcomes(
  session: DataSession,
  logDir: string,
  labelCursor: number,
  recentKeys: readonly (readonly [string, number])[],
): Promise<NewOutcomes> {
  const joined = await readPredictionsWithFeedback(logDir);
  const from = Number.isFinite(labelCursor)
    ? `AND label_time >= TIMESTAMP ${sqlString(logTime(labelCursor - LABEL_SETTLE_MS))}`
    : "";
  const rows = await session.query(`
    SELECT request_id || '/' || "row" AS key, version,
      epoch_ms("time")::DOUBLE AS t, epoch_ms(label_time)::DOUBLE AS lt,
      json_extract_string(outputs, '$.label') AS predicted,
      json_extract_string(label, '$') AS truth,
      TRY_CAST(json_extract_string(outputs, '$.prediction') AS DOUBLE) AS pred_num,
      TRY_CAST(json_extract_string(label, '$') AS DOUBLE) AS truth_num
    FROM (${joined.sql}) AS j
    WHERE NOT shadow AND label IS NOT NULL ${from}
    ORDER BY "time", request_id, "row"`);
  const seen = new Set(recentKeys.map(([k]) => k));
  const outcomes: LabelledOutcome[] = [];
  for (const r of rows) {
    const key = String(r.key);
    if (seen.has(key)) continue;
    const regression = r.predicted === null && typeof r.pred_num === "number";
    const absError =
      regression && typeof r.truth_num === "number" ? Math.abs((r.pred_num as number) - r.truth_num) : null;
    if (regression && absError === null) continue; // a label that is not a number: nothing to learn
    outcomes.push({
      key,
      version: String(r.version),
      time: Number(r.t),
      labelTime: Number(r.lt),
      wrong: regression ? null : String(r.predicted) !== String(r.truth),
      absError,
    });
  }
  const labelCursor2 = outcomes.reduce((m, o) => Math.max(m, o.labelTime), labelCursor);
  const keep = [...recentKeys, ...outcomes.map((o): [string, number] => [o.key, o.labelTime])].filter(
    ([, t]) => t >= labelCursor2 - LABEL_SETTLE_MS,
  );
  return { outcomes, labelCursor: labelCursor2, recentKeys: keep.map(([k, t]) => [k, t]) };
}
