import { isKeelError } from "../../errors.js";
import { type ConformanceData, conformanceData } from "./conformance-data.js";
import type { AnyEstimator, EstimatorClass } from "./estimator.js";
import type { Matrix } from "./matrix.js";
import { isNotFittedError } from "./not-fitted-error.js";
import { argmaxRows } from "./proba-matrix.js";
import { deserializeEstimator, estimatorClass } from "./registry.js";
import type { Table } from "./table.js";
import type { SerializedEstimator } from "./value-codec.js";

/** What a conformance check sees: the class, one of its `testParams()`, data, and a fitted instance. */
export interface ConformanceContext {
  /** The class under test. */
  readonly Ctor: EstimatorClass;
  /** The param set of this round. */
  readonly params: object;
  /** The data the estimator was fitted on. */
  readonly data: ConformanceData;
  /** A fitted instance. */
  readonly fitted: AnyEstimator;
  /** Outputs of `fitted` on `data` (predictions, probabilities or transformed columns), comparable with {@link outputsOf}. */
  readonly outputs: Float64Array[];
}

/**
 * One extra conformance check (the extension point: e.g. ONNX parity, added by the ONNX module
 * with {@link registerConformanceCheck}). Returns a list of problems; empty means pass.
 */
export interface ConformanceCheck {
  /** Short name, prefixed to each problem. */
  readonly name: string;
  /** Optional filter: skip classes the check does not apply to. */
  appliesTo?(Ctor: EstimatorClass): boolean;
  /** Runs the check. */
  run(ctx: ConformanceContext): Promise<string[]> | string[];
}

const EXTRA_CHECKS: ConformanceCheck[] = [];

/** Adds a check that every later `checkEstimator` call runs (idempotent per check name). */
export function registerConformanceCheck(check: ConformanceCheck): void {
  const i = EXTRA_CHECKS.findIndex((c) => c.name === check.name);
  if (i >= 0) EXTRA_CHECKS[i] = check;
  else EXTRA_CHECKS.push(check);
}

/** Options of {@link checkEstimator}. */
export interface CheckEstimatorOptions {
  /** Checks run in addition to the registered ones. */
  extraChecks?: ConformanceCheck[];
  /** Data to use instead of the synthetic set chosen by the tags. */
  data?: ConformanceData;
}

/**
 * The conformance suite every learner passes (scikit-learn's `check_estimator`): for each of
 * `Ctor.testParams()` it checks params round-trip, `clone`, unknown-param rejection, the
 * not-fitted error, that `fit` returns `this` and leaves its input untouched, output shapes,
 * seeded determinism, serialization round-trip (when registered), then the extra checks.
 * Returns the problems found; an empty list means the class conforms.
 */
export async function checkEstimator(
  Ctor: EstimatorClass,
  options: CheckEstimatorOptions = {},
): Promise<string[]> {
  const problems: string[] = [];
  const say = (msg: string) => problems.push(`${Ctor.typeName}: ${msg}`);
  const paramSets = Ctor.testParams();
  if (paramSets.length === 0) say("testParams() returned no param sets");
  for (const params of paramSets) {
    const tag = JSON.stringify(params, (_k, v) => (v?.typeName ? v.typeName : v));
    const note = (msg: string) => say(`[${tag}] ${msg}`);
    try {
      await checkOne(Ctor, params, options, note);
    } catch (e) {
      note(`unexpected error: ${e instanceof Error ? e.stack : String(e)}`);
    }
  }
  return problems;
}

async function checkOne(
  Ctor: EstimatorClass,
  params: object,
  options: CheckEstimatorOptions,
  note: (msg: string) => void,
): Promise<void> {
  const est = new Ctor(params);
  // Instance tags: a Pipeline's capabilities come from its steps, not its class.
  const tags = est.tags;
  const data = options.data ?? conformanceData(tags);
  checkParams(Ctor, est, note);

  if (est.isFitted) note("a new instance claims to be fitted");
  try {
    outputsOf(est, data);
    note("predict/transform before fit did not throw");
  } catch (e) {
    if (!isNotFittedError(e)) note(`predict before fit threw ${String(e)} instead of NotFittedError`);
  }

  const snapshot = inputSnapshot(data);
  const returned = fitReturn(est, data);
  if (returned !== est) note("fit() did not return this");
  if (inputSnapshot(data) !== snapshot) note("fit() modified its input");
  const outputs = outputsOf(est, data);
  // Pipelines pass unchanged columns on without copying: no step may write into its input.
  if (inputSnapshot(data) !== snapshot) note("predict/transform modified its input");
  checkShapes(est, data, outputs, note);

  const again = fitOn(new Ctor(params), data);
  if (!sameOutputs(outputs, outputsOf(again, data))) note("two fits with the same params (and seed) differ");
  const cloned = est.clone();
  if (cloned.isFitted) note("clone() kept the fitted state");
  if (!sameOutputs(outputs, outputsOf(fitOn(cloned, data), data)))
    note("a fitted clone predicts differently");

  if (estimatorClass(Ctor.typeName) === Ctor) {
    const json = JSON.parse(JSON.stringify(est.serialize())) as SerializedEstimator;
    const restored = deserializeEstimator(json);
    if (!sameOutputs(outputs, outputsOf(restored, data))) note("serialize → deserialize changed the outputs");
    if (JSON.stringify(restored.serialize()) !== JSON.stringify(est.serialize()))
      note("serialize is not stable");
  } else {
    note(`class is not registered for deserialization (call registerEstimators(${Ctor.typeName}))`);
  }

  if (!tags.allowNaN && tags.kind !== "transformer") checkRejectsNaN(Ctor, params, data, note);

  const ctx: ConformanceContext = { Ctor, params, data, fitted: est, outputs };
  for (const check of [...EXTRA_CHECKS, ...(options.extraChecks ?? [])]) {
    if (check.appliesTo && !check.appliesTo(Ctor)) continue;
    for (const p of await check.run(ctx)) note(`${check.name}: ${p}`);
  }
}

function checkParams(Ctor: EstimatorClass, est: AnyEstimator, note: (msg: string) => void): void {
  const p = est.getParams();
  const rebuilt = new Ctor(p).getParams();
  if (!sameParams(p, rebuilt)) note("new Ctor(getParams()).getParams() differs from getParams()");
  if (!sameParams(est.clone().getParams(), p)) note("clone().getParams() differs from getParams()");
  if (!sameParams(new Ctor(p).setParams(p).getParams(), p)) note("setParams(getParams()) changed the params");
  try {
    est.clone().setParams({ __no_such_param__: 1 });
    note("setParams accepted an unknown parameter name");
  } catch (e) {
    if (!isKeelError(e)) note(`setParams with an unknown name threw a non-KeelError: ${String(e)}`);
  }
}

function checkShapes(
  est: AnyEstimator,
  data: ConformanceData,
  outputs: Float64Array[],
  note: (msg: string) => void,
): void {
  const n = est.tags.kind === "transformer" ? (data.table?.rowCount ?? 0) : data.X.nRows;
  if (outputs.some((o) => o.length % n !== 0 || o.length === 0))
    note("an output does not have one value per row");
  if (est.tags.kind === "classifier") {
    const proba = outputs[1]!;
    const k = proba.length / n;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let c = 0; c < k; c++) sum += proba[i * k + c]!;
      if (Math.abs(sum - 1) > 1e-9) {
        note(`predictProba row ${i} sums to ${sum}, not 1`);
        break;
      }
    }
    if ((est as unknown as { nClasses: number }).nClasses !== k)
      note("nClasses differs from predictProba's width");
    if (est.tags.predictIsArgmax === true) {
      const label = argmaxRows({ nRows: n, nClasses: k, data: proba });
      if (label.some((c, i) => c !== outputs[0]![i]))
        note("tag predictIsArgmax is set but predict differs from the argmax of predictProba");
    }
  }
}

function checkRejectsNaN(
  Ctor: EstimatorClass,
  params: object,
  data: ConformanceData,
  note: (m: string) => void,
): void {
  const col = data.X.columns[0]!.slice();
  col[0] = Number.NaN;
  const X: Matrix = { ...data.X, columns: [col, ...data.X.columns.slice(1)] };
  try {
    fitOn(new Ctor(params), { ...data, X });
    note("fit accepted NaN although tags.allowNaN is false");
  } catch (e) {
    if (!isKeelError(e)) note(`NaN input threw a non-KeelError: ${String(e)}`);
  }
}

type Dynamic = {
  fit(...args: unknown[]): unknown;
  predict?(x: unknown): ArrayLike<number>;
  predictProba?(x: unknown): { data: Float64Array };
  transform?(t: Table): Table;
};

function fitReturn(est: AnyEstimator, data: ConformanceData): unknown {
  const d = est as unknown as Dynamic;
  return est.tags.kind === "transformer" ? d.fit(data.table) : d.fit(data.X, data.y);
}

function fitOn(est: AnyEstimator, data: ConformanceData): AnyEstimator {
  fitReturn(est, data);
  return est;
}

/** The outputs of a fitted estimator on `data` as float arrays (predictions, probabilities or columns). */
export function outputsOf(est: AnyEstimator, data: ConformanceData): Float64Array[] {
  const d = est as unknown as Dynamic;
  if (est.tags.kind === "transformer") {
    const out = d.transform!(data.table!);
    return out.columns.map((c) =>
      c.kind === "string"
        ? Float64Array.from(c.values, (s) => (s === null ? Number.NaN : hashString(s)))
        : c.values,
    );
  }
  const pred = Float64Array.from(d.predict!(data.X));
  return est.tags.kind === "classifier" ? [pred, d.predictProba!(data.X).data] : [pred];
}

function sameOutputs(a: Float64Array[], b: Float64Array[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i]!;
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) if (!Object.is(x[j], y[j])) return false;
    return true;
  });
}

function sameParams(a: object, b: object): boolean {
  const enc = (o: object) => JSON.stringify(o, (_k, v) => (v?.serialize ? v.serialize() : v));
  return enc(a) === enc(b);
}

function inputSnapshot(data: ConformanceData): string {
  let h = 0;
  const mix = (v: number) => {
    h = (Math.imul(h, 31) + (Number.isNaN(v) ? 7 : Math.round(v * 1e6))) | 0;
  };
  for (const c of data.X.columns) c.forEach(mix);
  if (data.y) data.y.forEach(mix);
  for (const c of data.table?.columns ?? []) {
    if (c.kind === "string") for (const s of c.values) mix(s === null ? -1 : hashString(s));
    else c.values.forEach(mix);
  }
  return String(h);
}

function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
