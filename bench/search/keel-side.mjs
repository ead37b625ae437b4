// Keel's side of bench/search: the library's runSearch on a temp SQLite tracker (tracking is part
// of the product, so its cost is in the wall time), plus the exact CV folds it uses, which the
// peer reuses so that both sides score configs on the same rows.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kFoldSplits } from "../../packages/keel/dist/learn/train/folds.js";
import { prepareData } from "../../packages/keel/dist/learn/train/prepare-data.js";
import { runSearch } from "../../packages/keel/dist/search/run/run-search.js";
import { Tracker } from "../../packages/keel/dist/track/index.js";
import { keelSpaceOverrides } from "./spaces.mjs";

/** A temp folder with a SQLite tracker and the space override file; `close()` removes it all. */
export async function openBench() {
  const dir = mkdtempSync(join(tmpdir(), "keel-bench-search-"));
  const tracker = await Tracker.open({
    cwd: dir,
    trackingUri: join(dir, "keel.db"),
    artifactRoot: join(dir, "artifacts"),
    handleProcessExit: false,
  });
  const spaceFile = join(dir, "space.json");
  writeFileSync(spaceFile, JSON.stringify(keelSpaceOverrides()));
  return {
    dir,
    tracker,
    spaceFile,
    async close() {
      await tracker.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Search options shared by every Keel search of a task: the CSV's non-feature columns ignored. */
export function dataOptions(file, def) {
  const header = readFileSync(file, "utf8").slice(0, 4096).split("\n")[0].split(",");
  const roles = Object.fromEntries(
    header.filter((c) => c !== "label" && !def.features.includes(c)).map((c) => [c, "ignore"]),
  );
  return { data: file, target: "label", task: def.kind, roles };
}

/**
 * Keel's fold of every training row for (cv, seed), as runSearch draws them, written as int32 to
 * `path` for the peer's PredefinedSplit. Also returns how long loading + preparing the data takes
 * (part of every Keel search's wall time, absent from the peer's, which loads once).
 */
export async function writeKeelFolds(options, cv, seed, path) {
  const t0 = performance.now();
  const prepared = await prepareData(options);
  const prepareS = (performance.now() - t0) / 1000;
  const y = prepared.train.y;
  const classes = prepared.problem.classes.map(Number);
  if (!classes.every((c, i) => c === i)) throw new Error(`unexpected class encoding ${classes}`);
  const splits = kFoldSplits(prepared.train.X.rowCount, cv, seed, y);
  const fold = new Int32Array(y.length).fill(-1);
  splits.forEach((s, f) => {
    for (const r of s.test) fold[r] = f;
  });
  if (fold.includes(-1)) throw new Error("a row is in no test fold");
  writeFileSync(path, Buffer.from(fold.buffer));
  return { rows: y.length, prepareS };
}

/**
 * One Keel search; returns its wall time, best CV score and the anytime curve: one point per
 * ended trial `{t, score, fullBudget}` in completion order (t in seconds from the call).
 */
export async function keelSearch(bench, options, plan) {
  const points = [];
  const t0 = performance.now();
  const result = await runSearch(
    {
      ...options,
      models: ["gbdt"],
      strategy: plan.strategy,
      trials: plan.trials,
      cv: plan.cv,
      metric: plan.metric,
      parallel: plan.parallel,
      seed: plan.seed,
      space: bench.spaceFile,
      experiment: "bench-search",
      runName: `${plan.task}-${plan.strategy}-seed${plan.seed}`,
      refit: false,
    },
    {
      tracker: bench.tracker,
      cwd: bench.dir,
      // The leaderboard ranks larger budgets first, so its head is a full-budget trial once any has ended.
      onProgress: (p) =>
        points.push({ t: (performance.now() - t0) / 1000, best: p.best?.budget >= 1 ? p.best.mean : null }),
    },
  );
  const wallS = (performance.now() - t0) / 1000;
  if (result.status !== "FINISHED") throw new Error(`Keel search ended ${result.status}`);
  return {
    wallS,
    trials: result.leaderboard.length,
    failed: result.leaderboard.filter((r) => r.status === "FAILED").length,
    best: result.best?.budget >= 1 ? result.best.mean : null,
    curve: points.map((p, i) => ({ t: p.t, n: i + 1, best: p.best })),
  };
}
