import { beforeAll, describe, expect, it } from "vitest";
import type { AnyEstimator } from "../../src/learn/core/estimator.js";
import { selectColumns, type Table } from "../../src/learn/core/table.js";
import { DummyClassifier, DummyRegressor } from "../../src/learn/dummy/index.js";
import {
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from "../../src/learn/ensemble/index.js";
import { LinearRegression, LogisticRegression, Ridge } from "../../src/learn/linear/index.js";
import { GaussianNB } from "../../src/learn/naive-bayes/index.js";
import { KNeighborsClassifier, KNeighborsRegressor } from "../../src/learn/neighbors/index.js";
import { onnxParity } from "../../src/learn/onnx/parity.js";
import { defaultPipeline, type PreprocessorOptions } from "../../src/learn/pipeline/default-preprocessor.js";
import { trainingSet } from "../../src/learn/pipeline/training-set.js";
import { inferColumnRoles } from "../../src/learn/transform/column-roles.js";
import { DecisionTreeClassifier, DecisionTreeRegressor } from "../../src/learn/tree/index.js";
import { checkOnnx } from "./onnx-checker.js";
import { cars, flights, penguins, type RealTask, seattleWeather } from "./real-data.js";

type Case = { label: string; make: () => AnyEstimator; prep: PreprocessorOptions };

const SCALED: PreprocessorOptions = { impute: true, scale: true };
const RAW_NAN: PreprocessorOptions = { impute: false };

const CLASSIFIERS: Case[] = [
  { label: "dummy", make: () => new DummyClassifier({ strategy: "prior" }), prep: SCALED },
  { label: "logistic", make: () => new LogisticRegression(), prep: SCALED },
  { label: "naive-bayes", make: () => new GaussianNB(), prep: SCALED },
  { label: "knn", make: () => new KNeighborsClassifier(), prep: SCALED },
  {
    label: "knn-distance",
    make: () => new KNeighborsClassifier({ nNeighbors: 7, weights: "distance" }),
    prep: SCALED,
  },
  { label: "tree", make: () => new DecisionTreeClassifier({ maxDepth: 8 }), prep: RAW_NAN },
  {
    label: "forest",
    make: () => new RandomForestClassifier({ nEstimators: 20, nJobs: 1, seed: 1 }),
    prep: RAW_NAN,
  },
  {
    label: "boosting",
    make: () => new HistGradientBoostingClassifier({ maxIter: 60, seed: 1 }),
    prep: RAW_NAN,
  },
];

const REGRESSORS: Case[] = [
  { label: "dummy", make: () => new DummyRegressor(), prep: SCALED },
  { label: "linear", make: () => new LinearRegression(), prep: SCALED },
  { label: "ridge", make: () => new Ridge({ alpha: 3 }), prep: { ...SCALED, categorical: "ordinal" } },
  { label: "knn", make: () => new KNeighborsRegressor({ weights: "distance" }), prep: SCALED },
  { label: "tree", make: () => new DecisionTreeRegressor({ maxDepth: 6 }), prep: RAW_NAN },
  {
    label: "forest",
    make: () => new RandomForestRegressor({ nEstimators: 20, nJobs: 1, seed: 2 }),
    prep: RAW_NAN,
  },
  {
    label: "boosting",
    make: () => new HistGradientBoostingRegressor({ maxIter: 60, seed: 2 }),
    prep: RAW_NAN,
  },
];

/** Fits the default pipeline around `c` on the task's training rows. */
function fitPipeline(task: RealTask, c: Case): { model: AnyEstimator; test: Table } {
  const train = trainingSet(task.train, task.target, task.task);
  const roles = inferColumnRoles(train.X);
  const pipe = defaultPipeline(roles, c.make(), c.prep);
  pipe.fit(train.X, train.y, train.classes ? { classes: train.classes } : {});
  const features = train.X.columns.map((col) => col.name);
  return { model: pipe, test: selectColumns(task.test, features) };
}

describe("ONNX parity on held-out real data (vega-datasets)", () => {
  const tasks: Record<string, RealTask> = {};
  beforeAll(async () => {
    for (const t of await Promise.all([penguins(), seattleWeather(), cars(), flights()])) tasks[t.name] = t;
  });

  // Flights' integer features (hour, month, airport codes) put many training rows at exactly equal
  // distances; with float32 inputs ONNX may break such ties differently (the known limit
  // documented in onnx/converters/neighbors.ts), so distance-weighted kNN is checked on the other two datasets only.
  const skipOnFlights = new Set(["knn-distance"]);
  for (const name of ["penguins", "seattle-weather", "flights"]) {
    it(`${name}: every classifier pipeline agrees with ONNX Runtime and passes the checker`, async () => {
      const models: Uint8Array[] = [];
      for (const c of CLASSIFIERS) {
        if (name === "flights" && skipOnFlights.has(c.label)) continue;
        const { model, test } = fitPipeline(tasks[name]!, c);
        const r = await onnxParity(model, test);
        expect(r.problems, `${name} ${c.label}`).toEqual([]);
        expect(r.nRows).toBeGreaterThan(80);
        // Label differences are allowed only on exact probability ties, and those must be rare.
        expect(r.ties, `${name} ${c.label} ties`).toBeLessThanOrEqual(Math.ceil(r.nRows * 0.01));
        models.push(r.bytes);
      }
      await checkOnnx(...models);
    });
  }

  it("cars: every regressor pipeline agrees with ONNX Runtime and passes the checker", async () => {
    const models: Uint8Array[] = [];
    for (const c of REGRESSORS) {
      const { model, test } = fitPipeline(tasks.cars!, c);
      const r = await onnxParity(model, test);
      expect(r.problems, `cars ${c.label}`).toEqual([]);
      models.push(r.bytes);
    }
    await checkOnnx(...models);
  });
});
