// What bench/search prints: the runs of each (task, seed), the issue's target, a summary over
// seeds and the anytime table. A run is `{side, strategy, trials, failed, best, wallS, curve}`;
// a context is `{task, seed, metric, rows, prepareS, runs}`.
import { loadavg } from "node:os";
import { anytime, timeToReach } from "./curves.mjs";
import { describeSpace } from "./spaces.mjs";

/** The issue's target: Keel reaches sklearn halving's best CV score in at most this share of its wall time. */
export const TARGET_RATIO = 0.5;

const FRACTIONS = [0.25, 0.5, 0.75, 1];

/** `v` with `d` decimals, or "-" when missing. */
export function fmt(v, d = 3) {
  return v === null || v === undefined || Number.isNaN(v) ? "-" : v.toFixed(d);
}

/** The settings and the space, before anything runs. */
export function printHeader(opts, innerThreads) {
  console.log(
    `bench/search: gbdt hyperparameter search, Keel runSearch (--parallel ${opts.parallel}, SQLite tracker, refit off)` +
      ` vs scikit-learn 1.2 (n_jobs=${opts.parallel}, ${innerThreads} OpenMP thread(s) per fit);` +
      " same folds, same scoring; times in seconds",
  );
  console.log(
    `  tasks ${opts.tasks.join(", ")}; seeds ${opts.seeds.join(",")}; cv ${opts.cv}; random/TPE ${opts.trials} trials` +
      ` (sklearn RandomizedSearchCV n_iter=${opts.trials}); halving ${opts.halvingConfigs} first-rung configs, eta 3` +
      ` (HalvingRandomSearchCV n_candidates=${opts.halvingConfigs}, factor=3, resource=max_iter, min_resources="exhaust")`,
  );
  for (const line of describeSpace()) console.log(`  ${line}`);
  const load = loadavg().map((l) => l.toFixed(2));
  console.log(
    `  load average at start ${load.join(" ")} (2 cores: the figures are noisy when it is above ~0.5)`,
  );
}

/** The sklearn run a Keel run is measured against: halving vs halving, random and TPE vs random. */
function pairedPeer(ctx, run) {
  const strategy = run.strategy === "halving" ? "halving" : "random";
  return ctx.runs.find((r) => r.side === "sklearn" && r.strategy === strategy);
}

/** One (task, seed): every run, and when each Keel run reached its peer's best score. */
export function printRuns(ctx, opts) {
  console.log(
    `\n${ctx.task} seed ${ctx.seed} (${ctx.metric}, ${ctx.rows} rows; Keel's CSV load + prepare` +
      ` ${fmt(ctx.prepareS, 2)} s is inside each Keel wall time)`,
  );
  console.log(
    "  side     strategy  trials  failed  best_cv   wall_s  t_to_peer_best  peer (its best, wall_s)",
  );
  for (const run of ctx.runs) {
    const peer = run.side === "keel" ? pairedPeer(ctx, run) : undefined;
    let reachText = "";
    if (peer) {
      const reach = timeToReach(run.curve, peer.best, opts.tol);
      reachText = reach === null ? "-" : `${fmt(reach, 1)} (${fmt(reach / peer.wallS, 2)}x)`;
    }
    const peerText = peer ? `sklearn ${peer.strategy} (${fmt(peer.best, 4)}, ${fmt(peer.wallS, 1)})` : "";
    console.log(
      `  ${run.side.padEnd(8)} ${run.strategy.padEnd(8)} ${String(run.trials).padStart(7)} ${String(run.failed).padStart(7)}` +
        `  ${fmt(run.best, 4).padStart(7)} ${fmt(run.wallS, 1).padStart(8)}  ${reachText.padEnd(14)}  ${peerText}`,
    );
  }
}

/** Each Keel run's time to reach sklearn halving's best, as a share of sklearn halving's wall time. */
function targetRatios(ctx, opts) {
  const ref = ctx.runs.find((r) => r.side === "sklearn" && r.strategy === "halving");
  const parts = ctx.runs
    .filter((r) => r.side === "keel")
    .map((r) => {
      const t = timeToReach(r.curve, ref.best, opts.tol);
      return { strategy: r.strategy, t, ratio: t === null ? null : t / ref.wallS };
    });
  return { ref, parts };
}

/** The issue's target line per (task, seed). */
export function printTarget(results, opts) {
  console.log(
    `\nTarget: Keel reaches the same best CV score in <= ${TARGET_RATIO}x the wall time of scikit-learn's halving search` +
      ` (tolerance ${opts.tol}; ratio = Keel's time to reach sklearn halving's best / sklearn halving's wall time)`,
  );
  for (const ctx of results) {
    const { ref, parts } = targetRatios(ctx, opts);
    const met = parts.filter((p) => p.ratio !== null && p.ratio <= TARGET_RATIO).map((p) => p.strategy);
    const detail = parts
      .map((p) => `${p.strategy} ${p.t === null ? "never" : `${fmt(p.t, 1)} s (${fmt(p.ratio, 2)}x)`}`)
      .join(", ");
    console.log(
      `  ${ctx.task} seed ${ctx.seed}: sklearn halving ${fmt(ref.best, 4)} in ${fmt(ref.wallS, 1)} s; Keel ${detail}` +
        ` -> ${met.length > 0 ? `MET by ${met.join(", ")}` : "NOT MET"}`,
    );
  }
}

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Per (task, side, strategy) over the seeds: mean best, median wall time, target ratios. */
export function printSummary(results, opts) {
  console.log(
    "\nOver seeds: mean best_cv, median wall_s; Keel: target ratio per seed (never = '-'), seeds meeting it",
  );
  const tasks = [...new Set(results.map((c) => c.task))];
  for (const task of tasks) {
    const ctxs = results.filter((c) => c.task === task);
    for (const run of ctxs[0].runs) {
      const same = ctxs.map((c) => c.runs.find((r) => r.side === run.side && r.strategy === run.strategy));
      const bests = same.map((r) => r.best).filter((b) => b !== null);
      let target = "";
      if (run.side === "keel") {
        const ratios = ctxs.map(
          (c) => targetRatios(c, opts).parts.find((p) => p.strategy === run.strategy).ratio,
        );
        const met = ratios.filter((r) => r !== null && r <= TARGET_RATIO).length;
        target = `  ratios ${ratios.map((r) => fmt(r, 2)).join(" ")}  met ${met}/${ratios.length}`;
      }
      console.log(
        `  ${task.padEnd(19)} ${run.side.padEnd(8)} ${run.strategy.padEnd(8)} best ${fmt(bests.length ? mean(bests) : null, 4)}` +
          `  wall ${fmt(median(same.map((r) => r.wallS)), 1).padStart(6)}${target}`,
      );
    }
  }
}

/** Best score after 25/50/75/100% of each run's own wall time, and of its trials. */
export function printAnytime(results) {
  const pct = FRACTIONS.map((f) => `${f * 100}%`);
  const head = (prefix) => pct.map((p) => `${prefix}${p}`.padStart(7)).join(" ");
  console.log(
    "\nAnytime: best full-budget CV score after a share of each search's own wall time | of its trials",
  );
  console.log(`  task                seed  side     strategy  ${head("t")}  | ${head("n")}`);
  const cells = (xs) => xs.map((x) => fmt(x, 4).padStart(7)).join(" ");
  for (const ctx of results) {
    for (const run of ctx.runs) {
      const a = anytime(run.curve, run.wallS, FRACTIONS);
      console.log(
        `  ${ctx.task.padEnd(19)} ${String(ctx.seed).padStart(4)}  ${run.side.padEnd(8)} ${run.strategy.padEnd(8)}` +
          `  ${cells(a.time)}  | ${cells(a.trials)}`,
      );
    }
  }
}
