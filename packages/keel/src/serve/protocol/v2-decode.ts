/**
 * Decodes an Open Inference Protocol inference request (`POST .../infer`) into columns. Every
 * per-input problem (unknown name, datatype that does not fit the column, bad shape, elements
 * that do not fit the datatype, row counts that disagree) is collected, so one 400 lists them
 * all together with the signature check that follows.
 */
import type { Signature } from "@keel/runtime";
import { invalidParam } from "../../errors.js";
import type { ColumnarInput } from "../columnar-input.js";
import type { DecodeProblems } from "../input-problems.js";
import {
  ACCEPTED_DATATYPES,
  elementProblem,
  isV2Datatype,
  V2_DATATYPES,
  type V2Datatype,
} from "./v2-datatypes.js";

/** Protocol-level parameters: string, number or boolean values. */
export type V2Parameters = Readonly<Record<string, string | number | boolean>>;

/** A decoded inference request. */
export interface DecodedInferRequest {
  /** The request's `id`, when given. */
  readonly id?: string | undefined;
  /** The request's `parameters`. */
  readonly parameters?: V2Parameters | undefined;
  /** Names of the requested outputs; undefined means all. */
  readonly outputs?: readonly string[] | undefined;
  /** The input columns that decoded cleanly. */
  readonly input: ColumnarInput;
  /** Problems found while decoding. */
  readonly decoded: DecodeProblems;
}

const MAX_SHOWN = 3;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Row-major flattening of nested tensor data. */
function flatten(data: readonly unknown[]): unknown[] {
  if (!data.some(Array.isArray)) return data as unknown[];
  const out: unknown[] = [];
  const walk = (xs: readonly unknown[]) => {
    for (const x of xs) Array.isArray(x) ? walk(x) : out.push(x);
  };
  walk(data);
  return out;
}

function checkParameters(where: string, value: unknown, problems: string[]): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    problems.push(`${where} must be an object of string, number or boolean values`);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (!["string", "number", "boolean"].includes(typeof v)) {
      problems.push(
        `${where}.${k} must be a string, number or boolean, not ${v === null ? "null" : typeof v}`,
      );
    }
  }
}

/**
 * Decodes `body` for a model with `signature` whose response can hold `outputNames`.
 * @throws KeelError INVALID_PARAMETER_VALUE when the body is not an inference request at all
 * (not an object, no `inputs` array); per-input problems are returned in `decoded` instead.
 */
export function decodeInferRequest(
  body: unknown,
  signature: Signature,
  outputNames: readonly string[],
): DecodedInferRequest {
  if (!isObject(body)) {
    throw invalidParam(
      'The inference request must be a JSON object: {"inputs": [{"name", "shape", "datatype", "data"}, ...]}',
    );
  }
  if (!Array.isArray(body.inputs) || body.inputs.length === 0) {
    throw invalidParam(
      `The inference request needs a non-empty "inputs" array of tensors {"name", "shape", "datatype", "data"}; the model's inputs are ${signature.inputs.map((i) => i.name).join(", ")}`,
    );
  }
  const problems: string[] = [];
  const reported = new Set<string>();
  if (body.id !== undefined && typeof body.id !== "string") problems.push(`"id" must be a string`);
  checkParameters("parameters", body.parameters, problems);

  const specs = new Map(signature.inputs.map((s) => [s.name, s]));
  const columns: Record<string, unknown[]> = {};
  let nRows: number | undefined;
  let rowsFrom = "";
  const decodeOne = (raw: unknown, i: number) => {
    const name = isObject(raw) && typeof raw.name === "string" ? raw.name : undefined;
    const where = name === undefined ? `inputs[${i}]` : `input '${name}'`;
    const fail = (msg: string) => {
      problems.push(`${where}: ${msg}`);
      if (name !== undefined) reported.add(name);
    };
    if (!isObject(raw)) return fail("must be an object with name, shape, datatype and data");
    if (name === undefined) return fail(`needs a "name" (one of ${[...specs.keys()].join(", ")})`);
    const spec = specs.get(name);
    if (spec === undefined) {
      return fail(`the model has no such input; its inputs are ${[...specs.keys()].join(", ")}`);
    }
    if (name in columns || reported.has(name)) return fail("given more than once");
    checkParameters(`${where} parameters`, raw.parameters, problems);
    const accepted = ACCEPTED_DATATYPES[spec.type];
    if (!isV2Datatype(raw.datatype)) {
      return fail(
        `datatype ${JSON.stringify(raw.datatype)} is not a protocol datatype (${V2_DATATYPES.join(", ")})`,
      );
    }
    const datatype: V2Datatype = raw.datatype;
    if (!accepted.includes(datatype)) {
      return fail(`datatype ${datatype} does not fit this ${spec.type} column; send ${accepted.join(", ")}`);
    }
    const shape = raw.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      return fail(`"shape" must be an array of non-negative integers, e.g. [rows] or [rows, 1]`);
    }
    if (shape.length < 1 || shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
      return fail(`shape [${shape.join(", ")}] is not a column; use [rows] or [rows, 1]`);
    }
    if (!Array.isArray(raw.data))
      return fail(`"data" must be an array (flat or nested) of ${shape[0]} values`);
    const data = flatten(raw.data);
    const expected = shape[0] as number;
    if (data.length !== expected) {
      return fail(`shape [${shape.join(", ")}] holds ${expected} values but "data" has ${data.length}`);
    }
    const bad: string[] = [];
    for (let r = 0; r < data.length && bad.length <= MAX_SHOWN; r++) {
      const why = elementProblem(datatype, data[r]);
      if (why) bad.push(`element ${r} (${JSON.stringify(data[r])}): ${why}`);
    }
    if (bad.length > 0) {
      const more = bad.length > MAX_SHOWN ? "; ..." : "";
      return fail(`data does not fit datatype ${datatype}: ${bad.slice(0, MAX_SHOWN).join("; ")}${more}`);
    }
    if (nRows !== undefined && expected !== nRows) {
      return fail(
        `has ${expected} rows but input '${rowsFrom}' has ${nRows}; every input needs the same row count`,
      );
    }
    nRows ??= expected;
    rowsFrom ||= name;
    columns[name] = data;
  };
  for (const [i, raw] of (body.inputs as unknown[]).entries()) decodeOne(raw, i);

  let outputs: string[] | undefined;
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs)) {
      problems.push(`"outputs" must be an array of {"name": ...} (outputs: ${outputNames.join(", ")})`);
    } else {
      outputs = [];
      for (const [i, o] of body.outputs.entries()) {
        const name = isObject(o) ? o.name : undefined;
        if (typeof name !== "string" || !outputNames.includes(name)) {
          problems.push(
            `outputs[${i}]: ${JSON.stringify(name ?? o)} is not an output of this model; its outputs are ${outputNames.join(", ")}`,
          );
        } else outputs.push(name);
      }
    }
  }
  return {
    id: typeof body.id === "string" ? body.id : undefined,
    parameters: isObject(body.parameters) ? (body.parameters as V2Parameters) : undefined,
    outputs,
    input: { nRows: nRows ?? 0, columns },
    decoded: { problems, reported },
  };
}
