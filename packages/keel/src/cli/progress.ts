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
