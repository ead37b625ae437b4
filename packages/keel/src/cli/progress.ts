import cliProgress from "cli-progress";
import type { ProgressSink } from "../data/versioning/progress-sink.js";
import { formatBytes } from "../report/format-numbers.js";

/**
 * A progress bar with ETA on stderr, only on a terminal (pipes and CI get none). `unit: "bytes"`
 * shows sizes (hashing, copying), `"count"` shows done/total (boosting iterations, CV folds).
 */
export function terminalProgress(unit: "bytes" | "count"): ProgressSink | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  let bar: cliProgress.SingleBar | undefined;
  let value = 0;
  const amount = unit === "bytes" ? "{percentage}% | {done} / {all}" : "{value}/{total}";
  const label = (n: number) => (unit === "bytes" ? formatBytes(n) : String(n));
  return {
    start(total, title) {
      bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${title.padEnd(9)} [{bar}] ${amount} | ETA {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      value = 0;
      bar.start(total, 0, { done: label(0), all: label(total) });
    },
    advance(n) {
      value += n;
      bar?.update(value, { done: label(value) });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** A count bar with a line of status text after it (see {@link terminalStatusBar}). */
export interface StatusBar {
  /** Show `done` of `total` and `status` (the total may grow, e.g. halving's later rungs). */
  update(done: number, total: number, status: string): void;
  /** Remove the bar. */
  stop(): void;
}

/**
 * A `label [bar] done/total | status | ETA` line on stderr, only on a terminal: for work whose
 * state is more than a count, e.g. `trials [====] 7/20 | best roc_auc 0.712 | ETA 1m`.
 */
export function terminalStatusBar(label: string): StatusBar | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(done, total, status) {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: `${label.padEnd(9)} [{bar}] {value}/{total} | {status} | ETA {eta_formatted}`,
            hideCursor: true,
            clearOnComplete: true,
            etaBuffer: 20,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(total, done, 1), done, { status });
        return;
      }
      bar.setTotal(Math.max(total, done, 1));
      bar.update(done, { status });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
