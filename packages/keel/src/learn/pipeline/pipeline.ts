import { z } from "zod";
import { invalidParam, KeelError } from "../../errors.js";
import type {
  Classifier,
  ClassifierFitOptions,
  IterationCallback,
  Transformer,
} from "../core/capabilities.js";
import { type AnyEstimator, Estimator } from "../core/estimator.js";
import type { Matrix } from "../core/matrix.js";
import { argmaxRows, type ProbaMatrix } from "../core/proba-matrix.js";
import { registerEstimators } from "../core/registry.js";
import { matrixToTable, type Table, type TypedColumn, tableToMatrix } from "../core/table.js";
import type { EstimatorTags } from "../core/tags.js";
import { DummyClassifier } from "../dummy/dummy-classifier.js";
import { DummyRegressor } from "../dummy/dummy-regressor.js";
import { MinMaxScaler } from "../transform/min-max-scaler.js";
import { routeNestedParams } from "../transform/nested-params.js";
import { SimpleImputer } from "../transform/simple-imputer.js";
import { StandardScaler } from "../transform/standard-scaler.js";

/** A named step. */
export type PipelineStep = readonly [name: string, estimator: AnyEstimator];

/** Params of {@link Pipeline}. */
export interface PipelineParams {
  /** Transformers, then a final estimator (or a transformer: the pipeline is then a transformer). */
  readonly steps: readonly PipelineStep[];
}

const DEFAULTS: PipelineParams = { steps: [] };
const SCHEMA = z.strictObject({
  steps: z
    .array(
      z.tuple([z.string(), z.custom<AnyEstimator>((v) => v instanceof Estimator, "must be an estimator")]),
    )
    .min(1, "a pipeline needs at least one step"),
}) as unknown as z.ZodType<PipelineParams>;

/** Input of a pipeline: a raw table, or a matrix (treated as a table of numeric columns). */
export type PipelineInput = Table | Matrix;

/** Options of {@link Pipeline.fit}. */
export interface PipelineFitOptions {
  /** Label of each class index (kept in the state for model packages and reports). */
  classes?: readonly string[];
  /** Held-out data, passed through the fitted transformers to the final step. */
  evalSet?: { X: PipelineInput; y: Int32Array | Float64Array };
  /** Training-curve hook of the final step. */
  onIteration?: IterationCallback;
  /** Number of classes when some are absent from `y`. */
  nClasses?: number;
}

/** Learned state of {@link Pipeline} (the steps keep their own state). */
export interface PipelineState {
  /** Input columns and kinds seen at fit time: the model signature. */
  readonly inputColumns: { name: string; kind: TypedColumn["kind"] }[];
  /** Class labels for classifiers, when given at fit time. */
  readonly classes: string[] | null;
}

/**
 * Transformers then an estimator, fitted and applied as one (scikit-learn's Pipeline). Step
 * names are unique and free of `__`, so `setParams({ model__C: 0.1 })` reaches a step.
 * @example
 * const pipe = new Pipeline({ steps: [["scale", new StandardScaler()], ["model", new LogisticRegression()]] });
 * pipe.fit(tableFromArrays({ x: [0, 1, 2, 3] }), Int32Array.from([0, 0, 1, 1]));
 * pipe.predict(tableFromArrays({ x: [3] })); // Int32Array [1]
 */
export class Pipeline extends Estimator<PipelineParams, PipelineState> implements Classifier, Transformer {
  static override readonly typeName = "Pipeline";
  static override readonly tags: EstimatorTags = { kind: "classifier", allowNaN: false, stochastic: false };
  static override testParams(): object[] {
    return testPipelines();
  }

  constructor(params: Partial<PipelineParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Capabilities of the final step; NaN is accepted when an imputer comes first or every step accepts it. */
  override get tags(): EstimatorTags {
    const steps = this.getParams().steps.map(([, e]) => e);
    const last = steps[steps.length - 1];
    if (!last) return Pipeline.tags;
    const imputes = steps.some((e) => e.typeName === "SimpleImputer");
    return {
      kind: last.tags.kind,
      allowNaN: imputes || steps.every((e) => e.tags.allowNaN),
      stochastic: steps.some((e) => e.tags.stochastic),
      input: steps[0]!.tags.input ?? "numeric",
    };
  }

  /** The step called `name`. */
  step(name: string): AnyEstimator {
    const found = this.getParams().steps.find(([n]) => n === name);
    if (!found) throw invalidParam(`Pipeline has no step '${name}'; steps: ${this.#names().join(", ")}`);
    return found[1];
  }

  /** The final estimator. */
  get finalStep(): AnyEstimator {
    const steps = this.getParams().steps;
    const last = steps[steps.length - 1];
    if (!last) throw invalidParam("Pipeline has no steps");
    return last[1];
  }

  /** Accepts `steps` and `step__param` keys (routed to that step, recursively). */
  override setParams(params: Partial<PipelineParams> & Record<string, unknown>): this {
    const { own, nested } = routeNestedParams(params);
    super.setParams(own as Partial<PipelineParams>);
    for (const [name, sub] of nested) this.step(name).setParams(sub);
    return this;
  }

  /** Fits the transformers in order, then the final step on the transformed data. */
  fit(x: PipelineInput, y?: Int32Array | Float64Array, options: PipelineFitOptions = {}): this {
    const { steps } = this.validParams();
    validateNames(steps.map(([n]) => n));
    let table = asTable(x);
    if (table.rowCount === 0) throw invalidParam("Pipeline got no training rows: the data is empty");
    const inputColumns = table.columns.map((c) => ({ name: c.name, kind: c.kind }));
    for (const [name, est] of steps.slice(0, -1)) table = fitTransformStep(name, est, table);
    const [lastName, last] = steps[steps.length - 1]!;
    if (last.tags.kind === "transformer") (last as unknown as Transformer).fit(table);
    else {
      if (!y)
        throw invalidParam(`Pipeline step '${lastName}' (${last.typeName}) is supervised: pass y to fit`);
      const evalSet = options.evalSet && {
        X: toMatrix(this.#transformUpTo(asTable(options.evalSet.X), steps), lastName),
        y: options.evalSet.y,
      };
      const opts: ClassifierFitOptions = {};
      if (evalSet) opts.evalSet = evalSet as ClassifierFitOptions["evalSet"];
      if (options.onIteration) opts.onIteration = options.onIteration;
      if (options.nClasses !== undefined) opts.nClasses = options.nClasses;
      if (last.tags.kind === "classifier" && !(y instanceof Int32Array)) {
        throw invalidParam(
          `Pipeline step '${lastName}' is a classifier: y must be class indices (Int32Array)`,
        );
      }
      (last as unknown as Classifier).fit(toMatrix(table, lastName), y as Int32Array, opts);
    }
    this.fitted_ = { inputColumns, classes: options.classes ? [...options.classes] : null };
    return this;
  }

  /**
   * Predictions of the final step: class indices for classifiers (typed so a Pipeline is a
   * {@link Classifier}); for a regressor the array is a Float64Array — use {@link predictValues}.
   */
  predict(x: PipelineInput): Int32Array;
  predict(x: PipelineInput): Int32Array | Float64Array {
    const last = this.#supervised("predict");
    return last.predict(this.#features(x));
  }

  /** Predictions of a final regressor, typed as values. */
  predictValues(x: PipelineInput): Float64Array {
    if (this.finalStep.tags.kind !== "regressor") throw this.#missing("predictValues");
    return this.#supervised("predictValues").predict(this.#features(x)) as Float64Array;
  }

  /** Class probabilities of the final step. */
  predictProba(x: PipelineInput): ProbaMatrix {
    const last = this.#supervised("predictProba") as unknown as Partial<Classifier>;
    if (typeof last.predictProba !== "function") throw this.#missing("predictProba");
    return last.predictProba(this.#features(x));
  }

  /**
   * Class indices and probabilities with one pass through the steps: the labels are the argmax
   * of the probabilities when the final classifier predicts that way (tag `predictIsArgmax`),
   * else its own `predict`.
   */
  predictWithProba(x: PipelineInput): { label: Int32Array; proba: ProbaMatrix } {
    const last = this.#supervised("predictProba") as unknown as Partial<Classifier>;
    if (typeof last.predictProba !== "function") throw this.#missing("predictProba");
    const X = this.#features(x);
    const proba = last.predictProba(X);
    const label = this.finalStep.tags.predictIsArgmax === true ? argmaxRows(proba) : last.predict!(X);
    return { label, proba };
  }

  /** Predicted labels (strings), when classes were given at fit time. */
  predictLabels(x: PipelineInput): string[] {
    const { classes } = this.assertFitted();
    if (!classes)
      throw invalidParam("Pipeline was fitted without classes: pass { classes } to fit to get labels");
    return Array.from(this.predict(x), (k) => classes[k]!);
  }

  /** Runs every step as a transformer (all steps must be transformers). */
  transform(x: PipelineInput): Table {
    this.assertFitted();
    const { steps } = this.getParams();
    if (steps[steps.length - 1]![1].tags.kind !== "transformer") throw this.#missing("transform");
    let table = asTable(x);
    for (const [, est] of steps) table = (est as unknown as Transformer).transform(table);
    return table;
  }

  /** Number of classes of the final classifier. */
  get nClasses(): number {
    return (this.#supervised("nClasses") as unknown as Classifier).nClasses;
  }

  /** Output of the transformers (everything but the final step) as the final step's input. */
  #features(x: PipelineInput): Matrix {
    this.assertFitted();
    const steps = this.getParams().steps;
    return toMatrix(this.#transformUpTo(asTable(x), steps), steps[steps.length - 1]![0]);
  }

  #transformUpTo(table: Table, steps: readonly PipelineStep[]): Table {
    let t = table;
    for (const [, est] of steps.slice(0, -1)) t = (est as unknown as Transformer).transform(t);
    return t;
  }

  #supervised(method: string): { predict(X: Matrix): Int32Array | Float64Array } {
    this.assertFitted();
    const last = this.finalStep;
    if (last.tags.kind === "transformer") throw this.#missing(method);
    return last as unknown as { predict(X: Matrix): Int32Array | Float64Array };
  }

  #missing(method: string): KeelError {
    const steps = this.getParams().steps;
    const [name, est] = steps[steps.length - 1]!;
    return new KeelError(
      "INVALID_PARAMETER_VALUE",
      `Pipeline final step '${name}' (${est.typeName}) has no ${method}(): use a ${method === "transform" ? "transformer" : "classifier or regressor"} as the last step`,
    );
  }

  #names(): string[] {
    return this.getParams().steps.map(([n]) => n);
  }
}

function validateNames(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (name === "" || name.includes("__")) {
      throw invalidParam(
        `Pipeline step name '${name}' must be non-empty and must not contain '__' (used by step__param keys)`,
      );
    }
    if (name === "steps")
      throw invalidParam("Pipeline step name 'steps' clashes with the 'steps' parameter: rename the step");
    if (seen.has(name))
      throw invalidParam(`Pipeline step name '${name}' is used twice: step names must be unique`);
    seen.add(name);
  }
}

function fitTransformStep(name: string, est: AnyEstimator, table: Table): Table {
  if (est.tags.kind !== "transformer") {
    throw invalidParam(
      `Pipeline step '${name}' (${est.typeName}) is not a transformer: only the last step may be an estimator`,
    );
  }
  const t = est as unknown as Transformer & { fitTransform?: (x: Table) => Table };
  return t.fitTransform ? t.fitTransform(table) : t.fit(table).transform(table);
}

function asTable(x: PipelineInput): Table {
  return "columns" in x && "rowCount" in x ? (x as Table) : matrixToTable(x as Matrix);
}

function toMatrix(table: Table, stepName: string): Matrix {
  try {
    return tableToMatrix(table);
  } catch (e) {
    if (e instanceof KeelError) throw invalidParam(`Before step '${stepName}': ${e.message}`);
    throw e;
  }
}

function testPipelines(): object[] {
  return [
    {
      steps: [
        ["scale", new StandardScaler()],
        ["model", new DummyClassifier({ strategy: "stratified", seed: 1 })],
      ],
    },
    {
      steps: [
        ["scale", new MinMaxScaler()],
        ["model", new DummyRegressor({ strategy: "median" })],
      ],
    },
    {
      steps: [
        ["impute", new SimpleImputer()],
        ["scale", new StandardScaler()],
      ],
    },
  ];
}

registerEstimators(Pipeline);
