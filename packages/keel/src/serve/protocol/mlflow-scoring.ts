/**
 * MLflow's scoring protocol (`mlflow models serve`): `POST /invocations` with a JSON body holding
 * exactly one of `dataframe_split`, `dataframe_records`, `instances` or `inputs` (plus optional
 * `params`), or a `text/csv` body; the answer is `{"predictions": [...]}` (class labels for
 * classifiers, values for regressors), as MLflow's sklearn flavour returns them.
 */
import type { InputType, Prediction, Signature } from "@keel/runtime";
import { KeelError } from "../../errors.js";
import { type ColumnarInput, rowsToColumns } from "../columnar-input.js";
import { parseCsv } from "./csv-text.js";

/** The JSON keys MLflow accepts, one per request. */
export const MLFLOW_INPUT_FORMATS = ["dataframe_split", "dataframe_records", "instances", "inputs"] as const;

const REQUIRED_INPUT_FORMAT = `The input must be a JSON dictionary with exactly one of the input fields {${MLFLOW_INPUT_FORMATS.map((f) => `'${f}'`).join(", ")}}`;

function badRequest(message: string): KeelError {
  return new KeelError("BAD_REQUEST", message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function rowsOf(value: unknown, field: string): Record<string, unknown>[] {
  if (!Array.isArray(value) || !value.every(isObject)) {
    throw badRequest(`'${field}' must be a list of records ({"column": value, ...}), one per row`);
  }
  return value;
}

function columnsOf(value: Record<string, unknown>, signature: Signature): ColumnarInput {
  const columns: Record<string, unknown[]> = {};
  let nRows = 0;
  for (const spec of signature.inputs) {
    const col = value[spec.name];
    if (col === undefined) continue;
    if (!Array.isArray(col)) throw badRequest(`'inputs.${spec.name}' must be a list of values, one per row`);
    columns[spec.name] = col;
    nRows = Math.max(nRows, col.length);
  }
  return { nRows, columns };
}

function splitOf(value: unknown, signature: Signature): ColumnarInput {
  if (!isObject(value) || !Array.isArray(value.columns) || !Array.isArray(value.data)) {
    throw badRequest(`'dataframe_split' must be {"columns": [names], "data": [[row values], ...]}`);
  }
  const names = value.columns as unknown[];
  const rows = value.data as unknown[];
  rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== names.length) {
      throw badRequest(
        `'dataframe_split.data[${i}]' must be a list of ${names.length} values (one per column: ${names.join(", ")})`,
      );
    }
  });
  const columns: Record<string, unknown[]> = {};
  for (const spec of signature.inputs) {
    const j = names.indexOf(spec.name);
    if (j >= 0) columns[spec.name] = rows.map((r) => (r as unknown[])[j]);
  }
  return { nRows: rows.length, columns };
}

/** Decodes a parsed JSON `/invocations` body into columns. */
export function decodeInvocationsJson(body: unknown, signature: Signature): ColumnarInput {
  if (!isObject(body)) {
    throw badRequest(`${REQUIRED_INPUT_FORMAT}. Received ${Array.isArray(body) ? "a list" : typeof body}.`);
  }
  const keys = MLFLOW_INPUT_FORMATS.filter((k) => k in body);
  if (keys.length !== 1) {
    throw badRequest(
      `${REQUIRED_INPUT_FORMAT}. Received dictionary with input fields: [${Object.keys(body).join(", ")}].`,
    );
  }
  const key = keys[0]!;
  const value = body[key];
  switch (key) {
    case "dataframe_split":
      return splitOf(value, signature);
    case "dataframe_records":
    case "instances":
      return rowsToColumns(rowsOf(value, key), signature);
    case "inputs":
      return isObject(value) ? columnsOf(value, signature) : rowsToColumns(rowsOf(value, key), signature);
  }
}

// CSV is untyped: read each cell as the signature's type; an empty cell is missing (as pandas reads it).
function cellValue(type: InputType, cell: string): unknown {
  if (cell === "") return null;
  switch (type) {
    case "number": {
      const n = Number(cell);
      return cell.trim() !== "" && !Number.isNaN(n) ? n : cell;
    }
    case "boolean": {
      const t = cell.trim().toLowerCase();
      return t === "true" || t === "1" ? true : t === "false" || t === "0" ? false : cell;
    }
    default:
      return cell;
  }
}

/** Decodes a `text/csv` `/invocations` body (header line first) into columns. */
export function decodeInvocationsCsv(text: string, signature: Signature): ColumnarInput {
  const { header, rows } = parseCsv(text);
  const columns: Record<string, unknown[]> = {};
  for (const spec of signature.inputs) {
    const j = header.indexOf(spec.name);
    if (j >= 0) columns[spec.name] = rows.map((r) => cellValue(spec.type, r[j]!));
  }
  return { nRows: rows.length, columns };
}

/** `{"predictions": [...]}`: labels of a classifier, values of a regressor. */
export function encodePredictions(p: Prediction): { predictions: unknown[] } {
  return { predictions: p.task === "regression" ? Array.from(p.values) : p.labels };
}
