/**
 * ROC-AUC per model version of a binary classifier over the labelled predictions of a window:
 * the logged probability of the second class against the feedback label, scored by
 * `learn/metrics` `rocAuc` (scikit-learn's `roc_auc_score(y, proba[:, 1])`).
 *
 * The log holds each row's predicted label and its two probabilities, not the model's class list,
 * so the class names are read off the log itself: the label predicted where the second
 * probability is the larger one is the positive class, the other one the negative class. When a
 * version predicted only one class in the window, any other feedback label is taken as the other
 * class (a binary model has two); feedback naming neither known class is left out.
 */
import type { DataSession } from "../../data/engine/duckdb-session.js";
import { rocAuc } from "../../learn/metrics/probabilistic.js";

const PREDICTED = "json_extract_string(outputs, '$.label')";
const TRUTH = "json_extract_string(label, '$')";
const proba = (i: number) => `TRY_CAST(json_extract(outputs, '$.probabilities[${i}]') AS DOUBLE)`;

/** The class names of one version, as its predictions in the window show them. */
interface BinaryClasses {
  readonly negative: string | null;
  readonly positive: string | null;
}

/**
 * ROC-AUC by version over `joinedSql` (predictions joined with feedback, as
 * `readPredictionsWithFeedback` builds them; shadow copies left out). A version is absent when it
 * is not a binary classifier, and null when its labelled predictions hold a single class (AUC is
 * undefined) or none.
 */
export async function windowAuc(
  session: DataSession,
  joinedSql: string,
): Promise<Map<string, number | null>> {
  const binary = `SELECT version, ${PREDICTED} AS predicted, ${TRUTH} AS truth, ${proba(0)} AS p0, ${proba(1)} AS p1, label IS NOT NULL AS labelled
    FROM (${joinedSql}) AS j
    WHERE NOT shadow AND json_array_length(json_extract(outputs, '$.probabilities')) = 2`;
  const classes = await classNames(session, binary);
  const out = new Map<string, number | null>();
  if (classes.size === 0) return out;
  const { columns } = await session.queryColumns(
    `SELECT version, truth, p0, p1 FROM (${binary}) AS b WHERE labelled AND p0 IS NOT NULL AND p1 IS NOT NULL AND truth IS NOT NULL`,
  );
  const [versions, truths, p0, p1] = columns;
  const byVersion = new Map<string, { y: number[]; p: number[] }>();
  if (versions?.kind === "string" && truths?.kind === "string" && p0 !== undefined && p1 !== undefined) {
    for (let i = 0; i < versions.values.length; i++) {
      const version = versions.values[i] as string;
      const y = classIndex(classes.get(version), truths.values[i] as string);
      if (y === null) continue;
      const pairs = byVersion.get(version) ?? { y: [], p: [] };
      pairs.y.push(y);
      pairs.p.push(Number(p0.values[i]), Number(p1.values[i]));
      byVersion.set(version, pairs);
    }
  }
  for (const version of classes.keys()) {
    const pairs = byVersion.get(version);
    const positives = pairs?.y.reduce((s, y) => s + y, 0) ?? 0;
    out.set(
      version,
      pairs === undefined || positives === 0 || positives === pairs.y.length
        ? null
        : rocAuc(Int32Array.from(pairs.y), {
            nRows: pairs.y.length,
            nClasses: 2,
            data: Float64Array.from(pairs.p),
          }),
    );
  }
  return out;
}

// Per version, the label predicted on each side of p0 = p1 (ties tell nothing). A version that
// predicted two names for the same side is not a consistent binary classifier: left out.
async function classNames(session: DataSession, binary: string): Promise<Map<string, BinaryClasses>> {
  const rows = await session.query(`SELECT version,
      count(DISTINCT predicted) FILTER (WHERE p0 > p1) AS n_neg, any_value(predicted) FILTER (WHERE p0 > p1) AS neg,
      count(DISTINCT predicted) FILTER (WHERE p1 > p0) AS n_pos, any_value(predicted) FILTER (WHERE p1 > p0) AS pos
    FROM (${binary}) AS b GROUP BY version`);
  const out = new Map<string, BinaryClasses>();
  for (const r of rows) {
    if (Number(r.n_neg) > 1 || Number(r.n_pos) > 1) continue;
    const negative = r.neg === null || r.neg === undefined ? null : String(r.neg);
    const positive = r.pos === null || r.pos === undefined ? null : String(r.pos);
    if (negative !== null && negative === positive) continue;
    out.set(String(r.version), { negative, positive });
  }
  return out;
}

// 1 for the positive class, 0 for the negative one, null for a label naming neither.
function classIndex(classes: BinaryClasses | undefined, truth: string): number | null {
  if (classes === undefined) return null;
  if (truth === classes.positive) return 1;
  if (truth === classes.negative) return 0;
  if (classes.positive === null) return 1;
  if (classes.negative === null) return 0;
  return null;
}
