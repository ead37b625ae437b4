import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../../../runtime/src/index.js";
import type { AnyEstimator } from "../../src/learn/core/estimator.js";
import { selectColumns, type Table } from "../../src/learn/core/table.js";
import { RandomForestRegressor } from "../../src/learn/ensemble/random-forest-regressor.js";
import { LogisticRegression } from "../../src/learn/linear/index.js";
import { loadModelPackage, saveModelPackage } from "../../src/learn/model-package/index.js";
import { defaultPipeline } from "../../src/learn/pipeline/default-preprocessor.js";
import type { Pipeline } from "../../src/learn/pipeline/pipeline.js";
import { trainingSet } from "../../src/learn/pipeline/training-set.js";
import { inferColumnRoles } from "../../src/learn/transform/column-roles.js";
import { cars, penguins } from "./real-data.js";

/** Table columns as the plain `{ column: values }` object @keel/runtime accepts. */
function asColumns(t: Table): Record<string, ArrayLike<unknown>> {
  return Object.fromEntries(t.columns.map((c) => [c.name, c.values]));
}

describe("model packages: save, load, predict", () => {
  let dir: string;
  let pipe: Pipeline;
  let test: Table;
  let classes: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "keel-pkg-"));
    const task = await penguins();
    const train = trainingSet(task.train, task.target, "classification");
    classes = train.classes!;
    pipe = defaultPipeline(inferColumnRoles(train.X), new LogisticRegression(), { scale: true });
    pipe.fit(train.X, train.y, { classes });
    test = selectColumns(
      task.test,
      train.X.columns.map((c) => c.name),
    );
    await saveModelPackage(join(dir, "penguins"), pipe, {
      name: "penguins",
      inputs: train.X,
      target: task.target,
      training: { dataset: "penguins.json", digest: "sha256:test" },
      metrics: { accuracy: 0.99 },
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes model.json with signature, classes, steps and file hashes", async () => {
    const manifest = JSON.parse(await readFile(join(dir, "penguins", "model.json"), "utf8"));
    expect(manifest.task).toBe("multiclass");
    expect(manifest.classLabels).toEqual(classes);
    expect(manifest.signature.inputs.map((i: { name: string }) => i.name)).toEqual(
      test.columns.map((c) => c.name),
    );
    const island = manifest.signature.inputs.find((i: { name: string }) => i.name === "Island");
    expect(island).toMatchObject({ type: "string", nullable: true, unknownCategory: "ignore" });
    expect(island.categories).toEqual(["Biscoe", "Dream", "Torgersen"]);
    expect(manifest.steps.map((s: { type: string }) => s.type)).toEqual([
      "ColumnTransformer",
      "LogisticRegression",
    ]);
    expect(manifest.files["model.onnx"].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.metrics).toEqual({ accuracy: 0.99 });
  });

  it("loads back into an identical TypeScript pipeline", async () => {
    const pkg = await loadModelPackage(join(dir, "penguins"));
    const loaded = pkg.model as Pipeline;
    expect(JSON.stringify(loaded.serialize())).toBe(JSON.stringify(pipe.serialize()));
    expect(Array.from(loaded.predictProba(test).data)).toEqual(Array.from(pipe.predictProba(test).data));
  });

  it("@keel/runtime predicts what the TypeScript pipeline predicts (path and file:// URI)", async () => {
    const expectedLabels = pipe.predictLabels(test);
    const expectedProba = pipe.predictProba(test).data;
    for (const ref of [join(dir, "penguins"), pathToFileURL(join(dir, "penguins")).href]) {
      const model = await loadModel(ref);
      const out = await model.predict(asColumns(test));
      if (out.task === "regression") throw new Error("expected a classifier");
      expect(out.labels).toEqual(expectedLabels);
      expect(out.probabilities.length).toBe(expectedProba.length);
      for (let i = 0; i < expectedProba.length; i++)
        expect(Math.abs(out.probabilities[i]! - expectedProba[i]!)).toBeLessThan(1e-5);
      await model.release();
    }
  });

  it("refuses to overwrite an existing package unless asked", async () => {
    const meta = { name: "penguins", inputs: test };
    await expect(saveModelPackage(join(dir, "penguins"), pipe, meta)).rejects.toThrow(/already exists/);
    await saveModelPackage(join(dir, "penguins"), pipe, { ...meta, overwrite: true });
    await expect(loadModelPackage(join(dir, "penguins"))).resolves.toBeDefined();
  });

  it("a tampered model.onnx or model.json is refused with a hash error by Keel and the runtime", async () => {
    for (const file of ["model.onnx", "model.json"] as const) {
      const pkgDir = join(dir, `tampered-${file}`);
      await saveModelPackage(pkgDir, pipe, { name: "penguins", inputs: test, metrics: { accuracy: 0.9 } });
      const path = join(pkgDir, file);
      if (file === "model.onnx") {
        const bytes = await readFile(path);
        bytes[bytes.length - 10]! ^= 0xff;
        await writeFile(path, bytes);
      } else {
        await writeFile(path, (await readFile(path, "utf8")).replace('"accuracy": 0.9', '"accuracy": 0.99'));
      }
      await expect(loadModelPackage(pkgDir)).rejects.toThrow(
        new RegExp(`${file.replace(".", "\\.")} failed its sha256 hash check`),
      );
      await expect(loadModel(pkgDir)).rejects.toMatchObject({
        code: "INVALID_STATE",
        message: expect.stringMatching(/hash check/),
      });
    }
  });

  it("a regression package round-trips through the runtime", async () => {
    const task = await cars();
    const train = trainingSet(task.train, task.target, "regression");
    const reg: AnyEstimator = defaultPipeline(
      inferColumnRoles(train.X),
      new RandomForestRegressor({ nEstimators: 10, nJobs: 1 }),
      { impute: false },
    );
    (reg as Pipeline).fit(train.X, train.y);
    const t = selectColumns(
      task.test,
      train.X.columns.map((c) => c.name),
    );
    const manifest = await saveModelPackage(join(dir, "cars"), reg, { name: "cars", inputs: train.X });
    expect(manifest.task).toBe("regression");
    // Trees route NaN themselves, so every input is nullable.
    expect(manifest.signature.inputs.every((i) => i.nullable)).toBe(true);
    const model = await loadModel(join(dir, "cars"));
    const out = await model.predict(asColumns(t));
    if (out.task !== "regression") throw new Error("expected a regressor");
    const expected = (reg as unknown as { predict(x: Table): Float64Array }).predict(t);
    for (let i = 0; i < expected.length; i++)
      expect(Math.abs(out.values[i]! - expected[i]!)).toBeLessThan(1e-4 * Math.abs(expected[i]!));
    await model.release();
  });
});
