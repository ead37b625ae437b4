import { describe, expect, it } from "vitest";
import { checkEstimator } from "../../src/learn/core/check-estimator.js";
import { transformerTable } from "../../src/learn/core/conformance-data.js";
import type { AnyEstimator, EstimatorClass } from "../../src/learn/core/estimator.js";
import { numericColumn, stringColumn, tableOf } from "../../src/learn/core/table.js";
import "../../src/learn/onnx/onnx-conformance.js";
import { onnxParity } from "../../src/learn/onnx/parity.js";
import {
  ColumnTransformer,
  DatetimePartsExtractor,
  MinMaxScaler,
  OneHotEncoder,
  OrdinalEncoder,
  SimpleImputer,
  StandardScaler,
} from "../../src/learn/transform/index.js";
import { checkOnnx } from "./onnx-checker.js";

const TRANSFORMERS: EstimatorClass[] = [
  SimpleImputer,
  StandardScaler,
  MinMaxScaler,
  OneHotEncoder,
  OrdinalEncoder,
  DatetimePartsExtractor,
  ColumnTransformer,
];

describe("transformer converters", () => {
  it.each(TRANSFORMERS.map((C) => [C.typeName, C] as const))(
    "%s passes checkEstimator with ONNX parity",
    async (_n, C) => {
      expect(await checkEstimator(C)).toEqual([]);
    },
  );

  it("every transformer graph passes onnx.checker (full_check)", async () => {
    const models: Uint8Array[] = [];
    for (const C of TRANSFORMERS) {
      for (const params of C.testParams()) {
        const est = new C(params) as AnyEstimator & { fit(t: unknown): unknown };
        const table = transformerTable(est.tags, 3);
        est.fit(table);
        const r = await onnxParity(est, table);
        expect(r.problems, `${C.typeName} ${JSON.stringify(params)}`).toEqual([]);
        models.push(r.bytes);
      }
    }
    await checkOnnx(...models);
  });

  it("exports an identity StandardScaler (the tree pipelines' pass-through) without a Scaler node", async () => {
    const table = tableOf([numericColumn("x", [1, 2, Number.NaN]), numericColumn("y", [0, 5, 7])]);
    const identity = new StandardScaler({ withMean: false, withStd: false }).fit(table);
    const r = await onnxParity(identity, table);
    expect(r.problems).toEqual([]);
    // NodeProto.op_type (field 4, length-delimited) = "Scaler", as serialized.
    const scalerNode = Buffer.concat([Buffer.from([0x22, 6]), Buffer.from("Scaler")]);
    expect(Buffer.from(r.bytes).includes(scalerNode)).toBe(false);
    const scaled = await onnxParity(new StandardScaler().fit(table), table);
    expect(Buffer.from(scaled.bytes).includes(scalerNode)).toBe(true);
    await checkOnnx(r.bytes);
  });

  it("datetime parts match TypeScript across centuries, leap days and pre-1970 times", async () => {
    const times = [
      Date.UTC(1900, 1, 28, 23, 59),
      Date.UTC(1969, 11, 31, 23, 30),
      Date.UTC(1970, 0, 1),
      Date.UTC(2000, 1, 29, 12, 1),
      Date.UTC(2001, 2, 1, 0, 0),
      Date.UTC(2024, 11, 31, 23, 59, 59),
      Date.UTC(2100, 2, 1, 5, 7),
      Number.NaN,
    ];
    const table = tableOf([numericColumn("t", times, "datetime")]);
    const dt = new DatetimePartsExtractor({
      parts: ["year", "month", "day", "day_of_week", "hour", "minute"],
    });
    dt.fit(table);
    const r = await onnxParity(dt, table, { tolerance: 0 });
    expect(r.problems).toEqual([]);
  });

  it("encoders: unknown and missing categories encode like TypeScript", async () => {
    const train = tableOf([
      stringColumn("c", ["b", "a", "b", null, "c"]),
      numericColumn("n", [4, 6, 8, 4, Number.NaN]),
    ]);
    const test = tableOf([
      stringColumn("c", ["a", "zzz", null, "c", "b"]),
      numericColumn("n", [6, 5, Number.NaN, 8, 4]),
    ]);
    for (const est of [
      new OneHotEncoder(),
      new OrdinalEncoder(),
      new OrdinalEncoder({ unknownValue: Number.NaN }),
    ]) {
      est.fit(train);
      const r = await onnxParity(est, test);
      expect(r.problems, est.typeName).toEqual([]);
      await checkOnnx(r.bytes);
    }
  });
});
