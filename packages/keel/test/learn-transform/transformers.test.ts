import { describe, expect, it } from "vitest";
import {
  checkEstimator,
  matrixFromRows,
  tableFromArrays,
  tableToMatrix,
} from "../../src/learn/core/index.js";
import { DummyClassifier } from "../../src/learn/dummy/index.js";
import { defaultPipeline, flatParams, Pipeline, trainingSet } from "../../src/learn/pipeline/index.js";
import {
  ColumnTransformer,
  DatetimePartsExtractor,
  inferColumnRoles,
  MinMaxScaler,
  OneHotEncoder,
  OrdinalEncoder,
  SimpleImputer,
  StandardScaler,
} from "../../src/learn/transform/index.js";

const values = (t: ReturnType<typeof tableFromArrays>, name: string) =>
  Array.from(t.columns.find((c) => c.name === name)!.values as ArrayLike<unknown>);

describe("transformers", () => {
  it.each([
    SimpleImputer,
    StandardScaler,
    MinMaxScaler,
    OneHotEncoder,
    OrdinalEncoder,
    DatetimePartsExtractor,
    ColumnTransformer,
    Pipeline,
  ])("%o passes the conformance suite", async (Ctor) => {
    expect(await checkEstimator(Ctor)).toEqual([]);
  });

  it("SimpleImputer fills like scikit-learn", () => {
    const t = tableFromArrays({ x: [1, Number.NaN, 3, 10], c: ["b", "a", null, "b"] });
    const num = tableFromArrays({ x: [1, Number.NaN, 3, 10] });
    expect(values(new SimpleImputer().fit(num).transform(num), "x")).toEqual([1, 14 / 3, 3, 10]);
    expect(values(new SimpleImputer({ strategy: "median" }).fit(num).transform(num), "x")).toEqual([
      1, 3, 3, 10,
    ]);
    const mf = new SimpleImputer({ strategy: "most_frequent" }).fit(t).transform(t);
    expect(values(mf, "c")).toEqual(["b", "a", "b", "b"]);
    expect(values(mf, "x")[1]).toBe(1); // all counts tie → the smallest value
    expect(values(new SimpleImputer({ strategy: "constant" }).fit(t).transform(t), "c")[2]).toBe(
      "missing_value",
    );
  });

  it("SimpleImputer rejects an all-missing column and strings for mean", () => {
    const t = tableFromArrays({ x: [Number.NaN, Number.NaN] });
    expect(() => new SimpleImputer().fit(t)).toThrow(/Column 'x' has no values \(all missing\)/);
    expect(() => new SimpleImputer().fit(tableFromArrays({ s: ["a"] }))).toThrow(
      /strategy 'mean' needs numbers but column 's'/,
    );
  });

  it("scalers match scikit-learn's formulas", () => {
    const t = tableFromArrays({ x: [1, 2, 3, Number.NaN], k: [5, 5, 5, 5] });
    const s = new StandardScaler().fit(t).transform(t);
    const x = values(s, "x") as number[];
    expect(x[0]).toBeCloseTo(-Math.sqrt(1.5), 12);
    expect(Number.isNaN(x[3])).toBe(true);
    expect(values(s, "k")).toEqual([0, 0, 0, 0]);
    const m = new MinMaxScaler({ featureRange: [-1, 1] }).fit(t).transform(t);
    expect(values(m, "x").slice(0, 3)).toEqual([-1, 0, 1]);
  });

  it("one-hot ignores unknown categories; ordinal maps them to -1", () => {
    const fit = tableFromArrays({ c: ["b", "a", "b"] });
    const test = tableFromArrays({ c: ["a", "z", null] });
    const oh = new OneHotEncoder().fit(fit).transform(test);
    expect(oh.columns.map((c) => c.name)).toEqual(["c_a", "c_b"]);
    expect(values(oh, "c_a")).toEqual([1, 0, 0]);
    expect(() => new OneHotEncoder({ handleUnknown: "error" }).fit(fit).transform(test)).toThrow(
      /category 'z' unseen/,
    );
    const ord = new OrdinalEncoder().fit(fit).transform(test);
    expect(values(ord, "c")).toEqual([0, -1, Number.NaN]);
  });

  it("extracts month, Monday-based day of week and hour", () => {
    const t = tableFromArrays({
      t: [new Date("2015-03-02T07:30:00Z"), new Date("2015-12-27T23:00:00Z"), null],
    });
    const out = new DatetimePartsExtractor().fit(t).transform(t);
    expect(values(out, "t_month")).toEqual([3, 12, Number.NaN]);
    expect(values(out, "t_day_of_week")).toEqual([0, 6, Number.NaN]);
    expect(values(out, "t_hour")).toEqual([7, 23, Number.NaN]);
  });
});

describe("column roles and pipelines", () => {
  const data = tableFromArrays({
    n: [1, 2, Number.NaN, 4, 5, 6],
    flag: [true, false, true, null, false, true],
    when: Array.from({ length: 6 }, (_, i) => new Date(Date.UTC(2020, i, 1, i))),
    city: ["a", "b", "a", "c", null, "b"],
    y: ["yes", "no", "yes", "no", "yes", "no"],
  });

  it("infers roles, honours overrides and flags high cardinality", () => {
    const roles = inferColumnRoles(data, { target: "y", maxCategories: 2 });
    expect(roles.columns.map((c) => [c.name, c.role, c.highCardinality])).toEqual([
      ["n", "numeric", false],
      ["flag", "boolean", false],
      ["when", "datetime", false],
      ["city", "categorical", true],
    ]);
    expect(roles.warnings[0]).toMatch(/'city' has 3 categories/);
    expect(inferColumnRoles(data, { overrides: { n: "categorical" } }).columns[0]!.role).toBe("categorical");
    expect(() => inferColumnRoles(data, { target: "label" })).toThrow(
      /No column named 'label'; available columns: n, flag/,
    );
    expect(() => inferColumnRoles(data, { overrides: { city: "numeric" } })).toThrow(
      /Column 'city' is marked numeric but holds strings \(row 0 is 'a'\)/,
    );
  });

  it("fits a default pipeline end to end and round-trips getParams/setParams", () => {
    const { X, y, classes } = trainingSet(data, "y", "classification");
    const pipe = defaultPipeline(inferColumnRoles(X), new DummyClassifier(), { scale: true });
    pipe.fit(X, y as Int32Array, { classes: classes! });
    const pre = (pipe.step("preprocess") as ColumnTransformer).transform(X);
    expect(pre.columns.map((c) => c.name)).toEqual([
      "n",
      "flag",
      "when_month",
      "when_day_of_week",
      "when_hour",
      "city_a",
      "city_b",
      "city_c",
    ]);
    expect(() => tableToMatrix(pre)).not.toThrow();
    expect(pipe.predictLabels(X)).toHaveLength(6);
    pipe.setParams({ model__strategy: "uniform" });
    expect(pipe.step("model").getParams()).toEqual({ strategy: "uniform", seed: 0 });
    expect(() => pipe.setParams({ nope__x: 1 })).toThrow(/Pipeline has no step 'nope'/);
  });

  it("flattens nested params into step__param keys that setParams accepts", () => {
    const { X } = trainingSet(data, "y", "classification");
    const pipe = defaultPipeline(inferColumnRoles(X), new DummyClassifier(), { scale: true });
    const flat = flatParams(pipe);
    expect(flat.model).toBeUndefined();
    expect(flat.model__strategy).toBe("prior");
    expect(flat.preprocess__numeric__numeric0__strategy).toBe("median");
    expect(flat.preprocess__categorical__handleUnknown).toBe("ignore");
    pipe.setParams({ preprocess__numeric__numeric0__strategy: "mean" });
    expect(flatParams(pipe).preprocess__numeric__numeric0__strategy).toBe("mean");
  });

  it("rejects bad step names and estimator-only misuse", () => {
    const X = matrixFromRows([[1], [2]]);
    const dup = new Pipeline({
      steps: [
        ["a", new StandardScaler()],
        ["a", new DummyClassifier()],
      ],
    });
    expect(() => dup.fit(X, Int32Array.from([0, 1]))).toThrow(/step name 'a' is used twice/);
    const bad = new Pipeline({ steps: [["a__b", new DummyClassifier()]] });
    expect(() => bad.fit(X, Int32Array.from([0, 1]))).toThrow(/must not contain '__'/);
    const tOnly = new Pipeline({ steps: [["s", new StandardScaler()]] }).fit(X);
    expect(() => tOnly.predict(X)).toThrow(/final step 's' \(StandardScaler\) has no predict\(\)/);
  });

  it("names the target problems", () => {
    expect(() => trainingSet(data, "nope", "classification")).toThrow(/No column named 'nope'/);
    const one = tableFromArrays({ x: [1, 2], y: ["a", "a"] });
    expect(() => trainingSet(one, "y", "classification")).toThrow(/single class/);
    expect(() => trainingSet(data, "city", "regression")).toThrow(/Target 'city' holds strings/);
    const empty = tableFromArrays({ x: [], y: [] });
    expect(() => trainingSet(empty, "y", "classification")).toThrow(/no rows/);
  });
});
