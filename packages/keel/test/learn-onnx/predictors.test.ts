import { describe, expect, it } from "vitest";
import { checkEstimator } from "../../src/learn/core/check-estimator.js";
import { conformanceData } from "../../src/learn/core/conformance-data.js";
import type { AnyEstimator, EstimatorClass } from "../../src/learn/core/estimator.js";
import { matrixToTable } from "../../src/learn/core/table.js";
import {
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from "../../src/learn/ensemble/index.js";
import { LinearRegression, LogisticRegression, Ridge } from "../../src/learn/linear/index.js";
import { GaussianNB } from "../../src/learn/naive-bayes/index.js";
import { KNeighborsClassifier, KNeighborsRegressor } from "../../src/learn/neighbors/index.js";
import "../../src/learn/onnx/onnx-conformance.js";
import { onnxParity } from "../../src/learn/onnx/parity.js";
import { DecisionTreeClassifier, DecisionTreeRegressor } from "../../src/learn/tree/index.js";
import { checkOnnx } from "./onnx-checker.js";

const PREDICTORS: EstimatorClass[] = [
  LinearRegression,
  Ridge,
  LogisticRegression,
  GaussianNB,
  KNeighborsClassifier,
  KNeighborsRegressor,
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
];

describe("predictor converters", () => {
  it.each(PREDICTORS.map((C) => [C.typeName, C] as const))(
    "%s passes checkEstimator with ONNX parity",
    async (_n, C) => {
      expect(await checkEstimator(C)).toEqual([]);
    },
  );

  it("every predictor graph passes onnx.checker (full_check)", async () => {
    const models: Uint8Array[] = [];
    for (const C of PREDICTORS) {
      for (const params of C.testParams()) {
        const est = new C(params) as AnyEstimator & { fit(X: unknown, y: unknown): unknown };
        const data = conformanceData(C.tags, 4);
        est.fit(data.X, data.y);
        const r = await onnxParity(est, matrixToTable(data.X));
        expect(r.problems, `${C.typeName} ${JSON.stringify(params)}`).toEqual([]);
        models.push(r.bytes);
      }
    }
    await checkOnnx(...models);
  });
});
