import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as browser from "../../../runtime/src/browser.js";
import { KeelRuntimeError, loadModel } from "../../../runtime/src/index.js";
import { isKeelError } from "../../src/errors.js";
import { numericColumn, stringColumn, tableOf } from "../../src/learn/core/table.js";
import { LogisticRegression } from "../../src/learn/linear/index.js";
import { saveModelPackage } from "../../src/learn/model-package/index.js";
import { Pipeline } from "../../src/learn/pipeline/pipeline.js";
import { ColumnTransformer } from "../../src/learn/transform/column-transformer.js";
import { DatetimePartsExtractor } from "../../src/learn/transform/datetime-parts.js";
import { OneHotEncoder } from "../../src/learn/transform/one-hot-encoder.js";
import { SimpleImputer } from "../../src/learn/transform/simple-imputer.js";
import { StandardScaler } from "../../src/learn/transform/standard-scaler.js";

const N = 60;
const colors = ["red", "green", "blue"];
const table = tableOf([
  numericColumn(
    "x",
    Array.from({ length: N }, (_, i) => (i % 10) - 4.5),
  ),
  numericColumn(
    "y",
    Array.from({ length: N }, (_, i) => (i % 7 === 0 ? Number.NaN : i / 10)),
  ),
  stringColumn(
    "color",
    Array.from({ length: N }, (_, i) => colors[i % 3]!),
  ),
  numericColumn(
    "when",
    Array.from({ length: N }, (_, i) => Date.UTC(2020, i % 12, 1 + (i % 27), i % 24)),
    "datetime",
  ),
]);
const labels = Int32Array.from({ length: N }, (_, i) => ((i % 10) + (i % 3 === 0 ? 3 : 0) > 6 ? 1 : 0));

describe("@keel/runtime", () => {
  let dir: string;
  let server: Server;
  let pipe: Pipeline;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "keel-runtime-"));
    pipe = new Pipeline({
      steps: [
        [
          "prep",
          new ColumnTransformer({
            transformers: [
              ["x", new StandardScaler(), ["x"]],
              ["y", new SimpleImputer(), ["y"]],
              ["color", new OneHotEncoder({ handleUnknown: "error" }), ["color"]],
              ["when", new DatetimePartsExtractor({ parts: ["month", "hour"] }), ["when"]],
            ],
          }),
        ],
        ["model", new LogisticRegression()],
      ],
    });
    pipe.fit(table, labels, { classes: ["no", "yes"] });
    await saveModelPackage(join(dir, "m"), pipe, { name: "toy", inputs: table });
    server = createServer(async (req, res) => {
      try {
        res.end(await readFile(join(dir, "m", (req.url ?? "").replace(/^\/m\//, ""))));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the signature: types, nullability and categories", async () => {
    const model = await loadModel(join(dir, "m"));
    expect(model.signature.inputs).toEqual([
      { name: "x", type: "number", nullable: false },
      { name: "y", type: "number", nullable: true },
      {
        name: "color",
        type: "string",
        nullable: true,
        categories: colors.slice().sort(),
        unknownCategory: "error",
      },
      { name: "when", type: "datetime", nullable: false },
    ]);
    await model.release();
  });

  it("runs on one intra-op thread when asked (servers), with the same answers, and rejects a bad count", async () => {
    const rows = [
      { x: 3.5, y: null, color: "red", when: "2020-06-03T14:00:00Z" },
      { x: -2, y: 0.4, color: "blue", when: "2020-02-29T23:00:00Z" },
    ];
    const [pooled, single] = [
      await loadModel(join(dir, "m")),
      await loadModel(join(dir, "m"), { intraOpThreads: 1 }),
    ];
    try {
      expect(await single.predict(rows)).toEqual(await pooled.predict(rows));
    } finally {
      await pooled.release();
      await single.release();
    }
    for (const bad of [0, 1.5, -1]) {
      const err = await loadModel(join(dir, "m"), { intraOpThreads: bad }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KeelRuntimeError);
      expect((err as KeelRuntimeError).code).toBe("INVALID_PARAMETER_VALUE");
      expect((err as Error).message).toMatch(/^intraOpThreads must be an integer >= 1/);
    }
  });

  it("rows and columns give the same predictions as TypeScript", async () => {
    const model = await loadModel(join(dir, "m"));
    const rows = [
      { x: 3.5, y: null, color: "red", when: new Date(Date.UTC(2020, 5, 3, 14)) },
      { x: -2, y: 0.4, color: "blue", when: "2020-02-29T23:00:00Z" },
      { x: 0.5, y: 1.2, color: "green", when: Date.UTC(2021, 0, 1) },
    ];
    const byRows = await model.predict(rows);
    const byCols = await model.predict({
      x: rows.map((r) => r.x),
      y: rows.map((r) => r.y),
      color: rows.map((r) => r.color),
      when: rows.map((r) => r.when),
    });
    expect(byCols).toEqual(byRows);
    const t = tableOf([
      numericColumn("x", [3.5, -2, 0.5]),
      numericColumn("y", [Number.NaN, 0.4, 1.2]),
      stringColumn("color", ["red", "blue", "green"]),
      numericColumn(
        "when",
        [Date.UTC(2020, 5, 3, 14), Date.UTC(2020, 1, 29, 23), Date.UTC(2021, 0, 1)],
        "datetime",
      ),
    ]);
    if (byRows.task === "regression") throw new Error("expected a classifier");
    expect(byRows.labels).toEqual(pipe.predictLabels(t));
    const proba = pipe.predictProba(t).data;
    proba.forEach((p, i) => {
      expect(Math.abs(byRows.probabilities[i]! - p)).toBeLessThan(1e-5);
    });
    await model.release();
  });

  it("one error lists every problem: missing column, wrong types, unknown category, NaN where not nullable", async () => {
    const model = await loadModel(join(dir, "m"));
    const bad = [
      { y: 1, color: "red", when: 0 },
      { y: "oops", color: 7, when: "not a date" },
      { y: 2, color: "purple", when: null },
    ];
    const err = await model.predict(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeelRuntimeError);
    const e = err as KeelRuntimeError;
    expect(e.code).toBe("INVALID_PARAMETER_VALUE");
    expect(isKeelError(e)).toBe(true);
    expect(e.problems).toHaveLength(6);
    expect(e.message).toMatch(/column 'x' is missing \(expected number\)/);
    expect(e.message).toMatch(/column 'y': expected number, got string "oops" \(1 row: 1\)/);
    expect(e.message).toMatch(/column 'color': expected string, got number \(1 row: 1\)/);
    expect(e.message).toMatch(
      /column 'color': unknown category "purple" \(allowed: blue, green, red\) \(1 row: 2\)/,
    );
    expect(e.message).toMatch(/column 'when': expected a datetime, got string "not a date" \(1 row: 1\)/);
    expect(e.message).toMatch(
      /column 'when': missing value \(null\/NaN\) but the column is not nullable \(1 row: 2\)/,
    );
    await expect(model.predict({ x: [1, 2], y: [1], color: ["red", "red"], when: [0, 0] })).rejects.toThrow(
      /column 'y' has 1 values but the other columns have 2/,
    );
    await expect(model.predict([])).rejects.toThrow(/no rows/);
    await model.release();
  });

  it("refuses folders that are not packages and non-file URIs", async () => {
    await expect(loadModel(join(dir, "nope"))).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
    await expect(loadModel("https://example.org/model")).rejects.toMatchObject({
      code: "INVALID_PARAMETER_VALUE",
    });
  });

  it("the browser entry (onnxruntime-web, WebAssembly) predicts the same from bytes and over HTTP", async () => {
    browser.ort.env.wasm.numThreads = 1;
    const node = await loadModel(join(dir, "m"));
    const rows = [{ x: 1, y: 2, color: "blue", when: Date.UTC(2020, 3, 4, 5) }];
    const expected = await node.predict(rows);
    const fromBytes = await browser.loadModel({
      manifest: await readFile(join(dir, "m", "model.json")),
      onnx: await readFile(join(dir, "m", "model.onnx")),
      source: "memory",
    });
    expect(await fromBytes.predict(rows)).toEqual(expected);
    const { port } = server.address() as AddressInfo;
    const overHttp = await browser.loadModel(`http://127.0.0.1:${port}/m`);
    expect(await overHttp.predict(rows)).toEqual(expected);
    await expect(browser.loadModel(`http://127.0.0.1:${port}/missing`)).rejects.toThrow(/HTTP 404/);
    await Promise.all([node.release(), fromBytes.release(), overHttp.release()]);
  });
});
