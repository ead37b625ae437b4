// bench/learn: Keel's learners beside scikit-learn 1.2 / xgboost 1.7 (apt's /usr/bin/python3) on
// the fixed tasks of BENCH_TASKS.md. Fit and predict times are medians of N repeats, Keel and the
// peer alternating in the same run; metrics are computed by sklearn for both sides.
//
//   npm run bench -- learn [--tasks flights-delay-200k,penguins] [--models hgb,xgb] [--repeats 3]
//
// Models: dummy, linear, tree, rf, hgb (sklearn HistGradientBoosting defaults), xgb (Keel's
// boosting with xgboost's settings: 200 rounds, depth 6, lr 0.1, lambda 1, min_child_weight 1,
// no leaf limit, no early stopping, 2 threads like n_jobs=2), onnx (ONNX Runtime batch prediction rows/s of a 100-tree
// depth-6 boosted ensemble on the whole test set vs xgboost's predict_proba; binary tasks only).
// rf is skipped on flights-delay-1m unless named in --models.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PeerProcess } from "../lib/peer-process.mjs";
import { onnxBatchPredict, PREDICT_ENSEMBLE } from "./onnx-predict.mjs";
import { CACHE_DIR, ensureTasks, loadTaskCsv, TASKS, taskFiles } from "./tasks.mjs";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "packages", "keel", "dist", "learn");
const { matrixFromColumns } = await import(join(dist, "core", "matrix.js"));
const tree = await import(join(dist, "tree", "index.js"));
const ensemble = await import(join(dist, "ensemble", "index.js"));
const optional = async (path) => import(join(dist, path)).catch(() => ({}));
const dummy = await optional("dummy/index.js");
const linear = await optional("linear/index.js");
const pipeline = await import(join(dist, "pipeline", "index.js"));
const transform = await import(join(dist, "transform", "index.js"));

const args = parseArgs(process.argv.slice(2));
const repeats = Number(args.repeats ?? 3);
const taskNames = args.tasks ? args.tasks.split(",") : Object.keys(TASKS);
const explicitModels = args.models?.split(",");
const ALL_MODELS = ["dummy", "linear", "tree", "rf", "hgb", "xgb", "onnx"];
/** Tasks smaller than this get an untimed warm-up fit on both sides (see the fit loop). */
const WARMUP_BELOW_ROWS = 10_000;

const XGB_EQUIVALENT = {
  maxIter: 200,
  maxDepth: 6,
  maxLeafNodes: null,
  learningRate: 0.1,
  minSamplesLeaf: 1,
  minChildWeight: 1,
  l2Regularization: 1,
  earlyStopping: false,
  nJobs: 2,
};

/** A fresh Keel estimator standing in for peer model `name`, or undefined when Keel has none. */
function keelModel(name, kind) {
  const clf = kind !== "regression";
  switch (name) {
    case "dummy":
      if (!dummy.DummyClassifier) return undefined;
      return clf
        ? new dummy.DummyClassifier({ strategy: "most_frequent" })
        : new dummy.DummyRegressor({ strategy: "mean" });
    case "linear":
      if (!linear.LogisticRegression) return undefined;
      return scaled(clf ? new linear.LogisticRegression({ maxIter: 1000 }) : new linear.Ridge({ alpha: 1 }));
    case "tree":
      return clf
        ? new tree.DecisionTreeClassifier({ maxDepth: 8, seed: 0 })
        : new tree.DecisionTreeRegressor({ maxDepth: 8, seed: 0 });
    case "rf":
      return clf
        ? new ensemble.RandomForestClassifier({ nEstimators: 100, nJobs: 2, seed: 0 })
        : new ensemble.RandomForestRegressor({ nEstimators: 100, nJobs: 2, seed: 0 });
    case "hgb":
      return clf
        ? new ensemble.HistGradientBoostingClassifier({ seed: 0 })
        : new ensemble.HistGradientBoostingRegressor({ seed: 0 });
    case "xgb":
      return clf
        ? new ensemble.HistGradientBoostingClassifier(XGB_EQUIVALENT)
        : new ensemble.HistGradientBoostingRegressor(XGB_EQUIVALENT);
  }
  return undefined;
}

// Keel's StandardScaler -> model Pipeline, as the peer's make_pipeline (scaling is timed as part of fit).
function scaled(model) {
  return new pipeline.Pipeline({
    steps: [
      ["scale", new transform.StandardScaler()],
      ["model", model],
    ],
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  await ensureTasks();
  console.log(
    `bench/learn: tasks in ${CACHE_DIR}; ${repeats} repeats, Keel and peer alternating; times in seconds`,
  );
  const peer = new PeerProcess(join(dirname(fileURLToPath(import.meta.url)), "peer.py"), {
    OMP_NUM_THREADS: "2",
  });
  const rows = [];
  try {
    for (const name of taskNames) {
      const def = TASKS[name];
      if (!def) throw new Error(`unknown task ${name}; known: ${Object.keys(TASKS).join(", ")}`);
      const files = taskFiles(name);
      const cols = [...def.features, "label"];
      const [tr, te] = await Promise.all([loadTaskCsv(files.train, cols), loadTaskCsv(files.test, cols)]);
      const X = matrixFromColumns(
        def.features.map((c) => tr[c]),
        def.features,
      );
      const Xt = matrixFromColumns(
        def.features.map((c) => te[c]),
        def.features,
      );
      const y = def.kind === "regression" ? tr.label : Int32Array.from(tr.label);
      const nClasses = def.classes.length;
      await peer.send({
        cmd: "load",
        train: files.train,
        test: files.test,
        features: def.features,
        kind: def.kind,
        n_classes: nClasses,
      });
      const models = explicitModels ?? ALL_MODELS.filter((m) => !(m === "rf" && name === "flights-delay-1m"));
      for (const model of models) {
        if (model === "onnx") {
          if (def.kind === "binary") await benchOnnx(peer, name, X, y, Xt);
          continue;
        }
        if (!keelModel(model, def.kind)) {
          console.log(`  ${name} ${model}: no Keel estimator available, skipped`);
          continue;
        }
        const keel = { fit: [], predict: [] };
        const other = { fit: [], predict: [] };
        let out;
        let peerReply;
        let nIter;
        // Small tasks: one untimed fit on both sides first, or V8 compiling Keel's code on its
        // first calls is what gets measured (milliseconds against a peer running compiled C).
        if (X.nRows < WARMUP_BELOW_ROWS) {
          keelModel(model, def.kind).fit(X, y, def.kind === "regression" ? {} : { nClasses });
          await peer.send({ cmd: "fit", model });
        }
        for (let r = 0; r < repeats; r++) {
          const est = keelModel(model, def.kind);
          const t0 = performance.now();
          est.fit(X, y, def.kind === "regression" ? {} : { nClasses });
          const t1 = performance.now();
          out = def.kind === "regression" ? est.predict(Xt) : est.predictProba(Xt).data;
          const t2 = performance.now();
          keel.fit.push((t1 - t0) / 1000);
          keel.predict.push((t2 - t1) / 1000);
          nIter = est.fitted_?.nIter;
          peerReply = await peer.send({ cmd: "fit", model });
          other.fit.push(peerReply.fit_s);
          other.predict.push(peerReply.predict_s);
        }
        const predPath = join(CACHE_DIR, "keel-pred.bin");
        writeFileSync(predPath, Buffer.from(out.buffer, out.byteOffset, out.byteLength));
        const keelMetrics = (await peer.send({ cmd: "score", pred: predPath })).metrics;
        const row = {
          task: name,
          model,
          keelFit: median(keel.fit),
          peerFit: median(other.fit),
          keelPredict: median(keel.predict),
          peerPredict: median(other.predict),
          keelMetrics,
          peerMetrics: peerReply.metrics,
          iters: nIter !== undefined ? `${nIter}/${peerReply.n_iter ?? "-"}` : "",
        };
        rows.push(row);
        printRow(row);
      }
    }
  } finally {
    peer.close();
  }
  printSummary(rows);
}

// ONNX Runtime batch prediction beside xgboost's predict on the same rows (printed, not summarized).
async function benchOnnx(peer, task, X, y, Xt) {
  const keel = await onnxBatchPredict(X, y, Xt, repeats);
  const other = await peer.send({
    cmd: "predict_bench",
    trees: PREDICT_ENSEMBLE.trees,
    depth: PREDICT_ENSEMBLE.depth,
    learning_rate: PREDICT_ENSEMBLE.learningRate,
    repeats,
  });
  const peerRate = other.rows / other.predict_s;
  console.log(
    `  ${task.padEnd(19)} onnx   batch of ${Xt.nRows} rows, ${PREDICT_ENSEMBLE.trees} trees depth ${PREDICT_ENSEMBLE.depth}: ` +
      `ONNX Runtime ${(keel.rowsPerSecond / 1e6).toFixed(2)}M rows/s (${fmt(keel.seconds)} s) vs xgboost ` +
      `${(peerRate / 1e6).toFixed(2)}M rows/s (${fmt(other.predict_s)} s) (x${fmt(keel.rowsPerSecond / peerRate, 2)}); ` +
      `target >= 1M rows/s; missing-left flags ${keel.missingFlags}`,
  );
}

function fmt(v, d = 3) {
  return v === undefined ? "-" : v.toFixed(d);
}

function printRow(r) {
  const metrics = Object.keys(r.peerMetrics)
    .map((k) => `${k} ${fmt(r.keelMetrics[k], 4)}/${fmt(r.peerMetrics[k], 4)}`)
    .join("  ");
  console.log(
    `  ${r.task.padEnd(19)} ${r.model.padEnd(6)} fit ${fmt(r.keelFit).padStart(7)} vs ${fmt(r.peerFit).padStart(7)} (x${fmt(r.keelFit / r.peerFit, 2)})` +
      `  predict ${fmt(r.keelPredict)} vs ${fmt(r.peerPredict)}  ${r.iters ? `iters ${r.iters}  ` : ""}| keel/peer: ${metrics}`,
  );
}

function printSummary(rows) {
  console.log(
    "\nSummary (fit time ratio Keel/peer; target rf <= 1.5 vs sklearn n_jobs=2, xgb <= 1.5 vs xgboost hist n_jobs=2):",
  );
  console.log("task                model  keel_fit  peer_fit  ratio  keel_auc/r2  peer_auc/r2");
  for (const r of rows) {
    const key =
      r.peerMetrics.roc_auc !== undefined ? "roc_auc" : r.peerMetrics.r2 !== undefined ? "r2" : "accuracy";
    console.log(
      `${r.task.padEnd(19)} ${r.model.padEnd(6)} ${fmt(r.keelFit).padStart(8)}  ${fmt(r.peerFit).padStart(8)}  ${fmt(r.keelFit / r.peerFit, 2).padStart(5)}  ${fmt(r.keelMetrics[key], 4).padStart(11)}  ${fmt(r.peerMetrics[key], 4).padStart(11)}`,
    );
  }
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) out[a.slice(2)] = argv[++i];
  }
  return out;
}

await main();
