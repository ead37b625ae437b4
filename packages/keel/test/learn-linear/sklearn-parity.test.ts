import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type AnyEstimator, checkEstimator, type Table, tableToMatrix } from "../../src/learn/core/index.js";
import { DummyClassifier } from "../../src/learn/dummy/index.js";
import { LinearRegression, LogisticRegression, Ridge } from "../../src/learn/linear/index.js";
import { GaussianNB } from "../../src/learn/naive-bayes/index.js";
import { KNeighborsClassifier, KNeighborsRegressor } from "../../src/learn/neighbors/index.js";
import { Pipeline, trainingSet } from "../../src/learn/pipeline/index.js";
import { StandardScaler } from "../../src/learn/transform/index.js";
import { carsTask, penguinsTask } from "./bench-data.js";

// scikit-learn 1.2's outputs from reference/estimators.py on the same rows.
const ref = JSON.parse(
  readFileSync(join(fileURLToPath(new URL(".", import.meta.url)), "reference/estimators.json"), "utf8"),
);

const scaled = (model: AnyEstimator) =>
  new Pipeline({
    steps: [
      ["scale", new StandardScaler()],
      ["model", model],
    ],
  });

function maxDiff(a: ArrayLike<number>, b: number[]): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe("estimators agree with scikit-learn on penguins", () => {
  const task = penguinsTask();
  const train = trainingSet(task.train, task.target, "classification");
  const test = trainingSet(task.test, task.target, "classification", train.classes!);
  const y = train.y as Int32Array;
  const proba = (m: { predictProba(x: Table): { data: Float64Array } }) => m.predictProba(test.X).data;

  it.each([
    ["gaussian_nb", () => new Pipeline({ steps: [["model", new GaussianNB()]] }), 1e-9],
    ["knn_uniform", () => scaled(new KNeighborsClassifier()), 1e-12],
    ["knn_distance", () => scaled(new KNeighborsClassifier({ nNeighbors: 7, weights: "distance" })), 1e-9],
    ["dummy_prior", () => new Pipeline({ steps: [["model", new DummyClassifier()]] }), 1e-15],
    ["logistic", () => scaled(new LogisticRegression({ maxIter: 1000 })), 1e-3],
    ["logistic_c01", () => scaled(new LogisticRegression({ C: 0.1, maxIter: 1000 })), 1e-3],
  ] as const)("%s probabilities", (name, make, tol) => {
    const model = make().fit(train.X, y);
    expect(maxDiff(proba(model), (ref.penguins[name] as number[][]).flat())).toBeLessThan(tol);
  });
});

describe("regressors agree with scikit-learn on cars-mpg", () => {
  const task = carsTask();
  const train = trainingSet(task.train, task.target, "regression");
  const X = tableToMatrix(train.X);
  const Xt = tableToMatrix(trainingSet(task.test, task.target, "regression").X);

  it("LinearRegression and Ridge(alpha=10) predictions", () => {
    expect(
      maxDiff(new LinearRegression().fit(X, train.y as Float64Array).predict(Xt), ref.cars.linear),
    ).toBeLessThan(1e-8);
    expect(
      maxDiff(new Ridge({ alpha: 10 }).fit(X, train.y as Float64Array).predict(Xt), ref.cars.ridge10),
    ).toBeLessThan(1e-8);
  });

  it("distance-weighted kNN regression", () => {
    const pipe = scaled(new KNeighborsRegressor({ nNeighbors: 4, weights: "distance" })).fit(
      train.X,
      train.y,
    );
    const pred = pipe.predictValues(trainingSet(task.test, task.target, "regression").X);
    expect(maxDiff(pred, ref.cars.knn_distance)).toBeLessThan(1e-9);
  });
});

describe("conformance", () => {
  it.each([KNeighborsClassifier, KNeighborsRegressor, GaussianNB])(
    "%o passes the conformance suite",
    async (Ctor) => {
      expect(await checkEstimator(Ctor)).toEqual([]);
    },
  );
});
