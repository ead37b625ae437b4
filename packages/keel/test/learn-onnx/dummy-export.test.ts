import { describe, expect, it } from "vitest";
import { checkEstimator } from "../../src/learn/core/check-estimator.js";
import { blobs, linearData } from "../../src/learn/core/conformance-data.js";
import { matrixToTable } from "../../src/learn/core/table.js";
import { DummyClassifier } from "../../src/learn/dummy/dummy-classifier.js";
import { DummyRegressor } from "../../src/learn/dummy/dummy-regressor.js";
import "../../src/learn/onnx/onnx-conformance.js";
import { exportOnnx, onnxInputsOf } from "../../src/learn/onnx/export-onnx.js";
import { onnxParity } from "../../src/learn/onnx/parity.js";
import { checkOnnx } from "./onnx-checker.js";

describe("dummy baselines to ONNX", () => {
  it("pass checkEstimator including ONNX parity", async () => {
    expect(await checkEstimator(DummyClassifier)).toEqual([]);
    expect(await checkEstimator(DummyRegressor)).toEqual([]);
  });

  it("export graphs the ONNX checker accepts, with parity", async () => {
    const { X, y } = blobs(1);
    const models = [];
    for (const strategy of ["prior", "most_frequent"] as const) {
      const clf = new DummyClassifier({ strategy }).fit(X, y);
      const r = await onnxParity(clf, matrixToTable(X));
      expect(r.problems).toEqual([]);
      models.push(r.bytes);
    }
    const lin = linearData(2);
    const reg = new DummyRegressor({ strategy: "median" }).fit(lin.X, lin.y);
    const r = await onnxParity(reg, matrixToTable(lin.X));
    expect(r.problems).toEqual([]);
    models.push(r.bytes);
    await checkOnnx(...models);
  });

  it("refuses random strategies with a clear error", () => {
    const { X, y } = blobs(1);
    const clf = new DummyClassifier({ strategy: "stratified" }).fit(X, y);
    expect(() => exportOnnx(clf, { inputs: onnxInputsOf(matrixToTable(X)) })).toThrow(/stratified.*'prior'/);
  });
});
