/**
 * The current side read from an endpoint's prediction log: one column per logged input, the
 * model's outputs (`prediction` for regressors; `label` and one probability column per class for
 * classifiers) and, when feedback exists, the ground truth under the target's name. Shadow copies
 * are left out (they repeat inputs another version answered).
 */
import type { ColumnInfo, DataSession } from "../../data/engine/duckdb-session.js";
import { sqlIdent, sqlString } from "../../data/engine/sql-text.js";
import {
  type ReadLogOptions,
  readPredictionsWithFeedback,
} from "../../serve/prediction-log/read-prediction-log.js";
import type { ColumnRole } from "./drift-report.js";

/** Options of {@link endpointRelation}. */
export interface EndpointRelationOptions extends ReadLogOptions {
  /** The reference's columns: probability columns are named after its `proba_*` columns, in order. */
  readonly referenceColumns?: readonly ColumnInfo[];
  /** Name to give the feedback labels (the reference's target column); no target without it. */
  readonly target?: string;
}

/** A relation over a prediction log and the roles of its output columns. */
export interface EndpointRelation {
  /** A SELECT statement for {@link computeDrift}. */
  readonly sql: string;
  /** `prediction` / `target` roles of the output and feedback columns. */
  readonly roles: Readonly<Record<string, Exclude<ColumnRole, "feature">>>;
  /** Files read. */
  readonly files: readonly string[];
}

const jsonPath = (key: string) => sqlString(`$.${JSON.stringify(key)}`);

/**
 * Flattens the prediction log in `logDir` for drift: JSON inputs become text columns (the drift
 * readers cast them to numbers where the reference column is numeric).
 */
export async function endpointRelation(
  session: DataSession,
  logDir: string,
  options: EndpointRelationOptions = {},
): Promise<EndpointRelation> {
  const log = await readPredictionsWithFeedback(logDir, options);
  const rows = `SELECT * FROM (${log.sql}) AS keel_log WHERE NOT shadow`;
  const keys = (
    await session.query(`SELECT DISTINCT unnest(json_keys(inputs)) AS k FROM (${rows}) AS r ORDER BY 1`)
  ).map((r) => String(r.k));
  const [shape] = await session.query(
    `SELECT bool_or(json_exists(outputs, '$.prediction')) AS regression, max(json_array_length(json_extract(outputs, '$.probabilities'))) AS k, count(label) AS labels FROM (${rows}) AS r`,
  );
  const select = keys.map((k) => `json_extract_string(inputs, ${jsonPath(k)}) AS ${sqlIdent(k)}`);
  const taken = new Set(keys);
  const roles: Record<string, Exclude<ColumnRole, "feature">> = {};
  const add = (name: string, expr: string, role: Exclude<ColumnRole, "feature">) => {
    if (taken.has(name)) return;
    taken.add(name);
    select.push(`${expr} AS ${sqlIdent(name)}`);
    roles[name] = role;
  };
  if (shape?.regression === true)
    add("prediction", `TRY_CAST(json_extract_string(outputs, '$.prediction') AS DOUBLE)`, "prediction");
  else if (Number(shape?.k ?? 0) > 0) {
    add("label", `json_extract_string(outputs, '$.label')`, "prediction");
    const probaNames = (options.referenceColumns ?? [])
      .map((c) => c.name)
      .filter((n) => n.startsWith("proba_"));
    for (let i = 0; i < Number(shape?.k); i++) {
      add(
        probaNames[i] ?? `proba_${i}`,
        `TRY_CAST(json_extract(outputs, '$.probabilities[${i}]') AS DOUBLE)`,
        "prediction",
      );
    }
  }
  if (options.target !== undefined && Number(shape?.labels ?? 0) > 0) {
    add(options.target, `json_extract_string(label, '$')`, "target");
  }
  if (select.length === 0) select.push("NULL AS keel_no_inputs");
  return { sql: `SELECT ${select.join(", ")} FROM (${rows}) AS r`, roles, files: log.files };
}
