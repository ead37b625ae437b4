import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openArtifactStore } from "../../src/artifacts/open-artifact-store.js";
import { dropColumns } from "../../src/learn/core/table.js";
import { loadModelPackage } from "../../src/learn/model-package/index.js";
import { onnxInputsOf } from "../../src/learn/onnx/export-onnx.js";
import { runOnnx } from "../../src/learn/onnx/onnx-predict.js";
import type { Pipeline } from "../../src/learn/pipeline/index.js";
import { runBaselines } from "../../src/learn/train/baseline.js";
import { evaluateModel } from "../../src/learn/train/evaluate-model.js";
import { loadTable } from "../../src/learn/train/load-table.js";
import { exportModel, importOnnxModel } from "../../src/learn/train/model-exchange.js";
import { trainModel } from "../../src/learn/train/train-model.js";
import { flightsSlice, makeProject, type Project, penguinFiles } from "./helpers.js";

describe("keel train / baseline / evaluate / models export+import on real data", () => {
  let p: Project;
  let penguins: { train: string; test: string };
  let flights: { train: string; test: string };

  beforeAll(async () => {
    p = await makeProject();
    penguins = await penguinFiles(p.dir);
    flights = {
      train: await flightsSlice(join(p.dir, "flights-train.parquet"), 0, 30_000),
      test: await flightsSlice(join(p.dir, "flights-test.parquet"), 1_000_000, 1_010_000),
    };
  }, 120_000);
  afterAll(async () => p.close());

  it("trains gbdt on flights: one run with params, curve, metrics beside the baseline, artifacts, inputs", async () => {
    const r = await trainModel(
      {
        data: flights.train,
        test: flights.test,
        target: "delayed",
        model: "gbdt",
        params: { maxIter: 30, max_depth: 6 },
        experiment: "flights",
      },
      { tracker: p.tracker, cwd: p.dir },
    );
    expect(r.task).toBe("binary");
    expect(r.modelUri).toBe(`runs:/${r.runId}/model`);
    // Flights delays are hard to predict; the model must still clearly beat the prior.
    expect(r.metrics.test_roc_auc).toBeGreaterThan(0.6);
    expect(r.baseline.test_roc_auc).toBeCloseTo(0.5, 6);
    expect(r.lift.test_roc_auc).toBeGreaterThan(0.1);
    expect(r.lift.test_log_loss).toBeGreaterThan(0);

    const run = await p.tracker.store.getRun(r.runId);
    const params = Object.fromEntries(run.data.params.map((x) => [x.key, x.value]));
    expect(params).toMatchObject({
      model: "gbdt",
      task: "binary",
      target: "delayed",
      maxIter: "30",
      maxDepth: "6",
    });
    const metricKeys = run.data.metrics.map((m) => m.key);
    expect(metricKeys).toEqual(
      expect.arrayContaining(["test_roc_auc", "baseline_test_roc_auc", "fit_seconds"]),
    );
    // Early stopping is on above 10,000 rows, so both curves exist, one point per iteration.
    const train = (await p.tracker.store.getMetricHistory(r.runId, "train_loss")).items;
    const valid = (await p.tracker.store.getMetricHistory(r.runId, "valid_loss")).items;
    expect(train.length).toBeGreaterThan(5);
    expect(valid.length).toBe(train.length);
    expect(train.map((m) => m.step)).toEqual(train.map((_, i) => train[0]!.step + i));
    expect(train.at(-1)!.value).toBeLessThan(train[0]!.value);

    const contexts = run.inputs.datasetInputs.map(
      (d) => d.tags.find((t) => t.key === "mlflow.data.context")?.value,
    );
    expect(contexts.sort()).toEqual(["test", "train"]);
    expect(run.inputs.datasetInputs[0]!.dataset.digest).toMatch(/^[0-9a-f]{64}$/);

    const artifacts = await p.tracker.artifactsOf(r.runId);
    const names = (await artifacts.list()).map((f) => f.path);
    expect(names).toEqual(
      expect.arrayContaining(["columns.json", "confusion_matrix.csv", "confusion_matrix.json", "model"]),
    );
    const cm = JSON.parse(await streamText(await artifacts.get("confusion_matrix.json"))) as {
      matrix: number[][];
    };
    expect(cm.matrix.flat().reduce((a, b) => a + b, 0)).toBe(10_000);

    // The package loads, and the TypeScript pipeline agrees with ONNX Runtime on the test rows.
    const pkg = await loadModelPackage(join(fileURLToPath(run.info.artifactUri), "model"));
    expect(pkg.manifest.task).toBe("binary");
    expect(pkg.manifest.signature.inputs.map((i) => i.name)).toEqual([
      "month",
      "day_of_week",
      "hour",
      "distance",
      "origin",
      "destination",
    ]);
    const X = dropColumns(await loadTable(flights.test), ["delayed"]);
    const model = pkg.model as Pipeline;
    const ts = model.predictProba(X);
    const onnx = await runOnnx(pkg.onnx, onnxInputsOf(X), X);
    expect(Array.from(onnx.label!)).toEqual(Array.from(model.predict(X)));
    let worst = 0;
    for (let i = 0; i < ts.data.length; i++)
      worst = Math.max(worst, Math.abs(ts.data[i]! - onnx.probabilities![i]!));
    expect(worst).toBeLessThan(1e-5);
  }, 120_000);

  it("trains logreg on penguins with 5-fold CV and a test file, registers it as challenger, evaluates it by alias", async () => {
    const r = await trainModel(
      {
        data: penguins.train,
        test: penguins.test,
        cv: 5,
        target: "species",
        model: "logreg",
        register: "penguins",
        alias: "challenger",
      },
      { tracker: p.tracker, cwd: p.dir },
    );
    expect(r.task).toBe("multiclass");
    expect(r.evaluation).toBe("test+cv");
    expect(r.metrics.cv_accuracy_mean).toBeGreaterThan(0.95);
    expect(r.metrics.cv_accuracy_std).toBeGreaterThanOrEqual(0);
    expect(r.metrics.test_accuracy).toBeGreaterThan(0.95);
    expect(r.baseline.cv_accuracy_mean).toBeLessThan(0.5);
    expect(r.registered).toEqual({ name: "penguins", version: "1", alias: "challenger" });
    const folds = await p.tracker.store.getMetricHistory(r.runId, "fold_accuracy");
    expect(folds.items.map((m) => m.step)).toEqual([0, 1, 2, 3, 4]);
    // L-BFGS reports its objective each iteration: the curve is logged as train_loss.
    expect((await p.tracker.store.getMetricHistory(r.runId, "train_loss")).items.length).toBeGreaterThan(3);

    const ev = await evaluateModel(
      { model: "models:/penguins@challenger", data: penguins.test, experiment: "evaluations" },
      { tracker: p.tracker, cwd: p.dir },
    );
    expect(ev.modelVersion).toEqual({ name: "penguins", version: "1" });
    // ONNX Runtime scores what the TypeScript model scored in training.
    expect(ev.metrics.test_accuracy).toBeCloseTo(r.metrics.test_accuracy!, 10);
    expect(ev.confusion!.labels).toEqual(["Adelie", "Chinstrap", "Gentoo"]);
    const n = ev.confusion!.matrix.flat().reduce((a, b) => a + b, 0);
    expect(ev.calibration!.bins).toHaveLength(10);
    expect(ev.calibration!.bins.reduce((a, b) => a + b.count, 0)).toBe(n);
    const evRun = await p.tracker.store.getRun(ev.runId);
    const tags = Object.fromEntries(evRun.data.tags.map((t) => [t.key, t.value]));
    expect(tags["keel.model_version"]).toBe("models:/penguins/1");
    expect(tags["keel.source_run"]).toBe(r.runId);
    expect(evRun.inputs.datasetInputs).toHaveLength(1);
  }, 120_000);

  it("exports a registered package and imports its ONNX graph as a new registered model", async () => {
    const source = { store: p.tracker.store, trackingUri: p.trackingUri };
    const out = join(p.dir, "exported");
    const exported = await exportModel(source, "models:/penguins@challenger", out);
    expect(exported.files).toEqual(["model.json", "model.onnx"]);
    await expect(exportModel(source, "models:/penguins@challenger", out)).rejects.toThrow(/not empty/);

    const artifacts = await openArtifactStore(join(p.dir, ".keel", "artifacts"));
    const imported = await importOnnxModel({ ...source, artifacts }, join(out, "model.onnx"), {
      name: "penguins-onnx",
      classLabels: ["Adelie", "Chinstrap", "Gentoo"],
      target: "species",
      alias: "champion",
    });
    expect(imported.version.version).toBe("1");
    expect(imported.manifest.task).toBe("multiclass");
    expect(imported.manifest.signature.inputs.map((i) => [i.name, i.type])).toEqual(
      exported.manifest.signature.inputs.map((i) => [i.name, i.type]),
    );
    const original = await evaluateModel(
      { model: "models:/penguins/1", data: penguins.test },
      { tracker: p.tracker },
    );
    const again = await evaluateModel(
      { model: "models:/penguins-onnx@champion", data: penguins.test },
      { tracker: p.tracker },
    );
    expect(again.metrics).toEqual(original.metrics);

    const notOnnx = join(p.dir, "not.onnx");
    writeFileSync(notOnnx, "hello");
    await expect(importOnnxModel({ ...source, artifacts }, notOnnx, { name: "x" })).rejects.toThrow(
      /not an ONNX model/,
    );
  }, 120_000);

  it("scores every dummy strategy and the best one-feature rule, tracked as a run", async () => {
    const r = await runBaselines(
      { data: penguins.train, test: penguins.test, target: "species" },
      { tracker: p.tracker },
    );
    expect(r.rows.map((x) => x.name)).toEqual([
      "most_frequent",
      "prior",
      "stratified",
      "uniform",
      "one_feature",
    ]);
    const byName = Object.fromEntries(r.rows.map((x) => [x.name, x.metrics]));
    // One flipper-length or beak threshold separates Gentoo: far better than any dummy.
    expect(byName.one_feature!.accuracy).toBeGreaterThan(byName.most_frequent!.accuracy! + 0.2);
    const run = await p.tracker.store.getRun(r.runId);
    expect(run.data.metrics.map((m) => m.key)).toEqual(
      expect.arrayContaining(["most_frequent_test_accuracy", "one_feature_test_accuracy"]),
    );
    expect(run.data.params.find((x) => x.key === "best_feature")).toBeDefined();
  }, 60_000);
});

async function streamText(s: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of s) text += String(chunk);
  return text;
}
