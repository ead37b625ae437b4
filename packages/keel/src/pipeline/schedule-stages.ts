/**
 * The order stages start in: each once its upstream stages succeeded, at most `jobs` at a
 * time; a stage below a failed (or not run) one is marked not-run and never starts.
 */
import type { RunReporter, StageOutcome } from "./run-report.js";
import type { Stage } from "./stage.js";

/**
 * Start each stage once its upstream stages succeeded, at most `jobs` at a time; a stage whose
 * upstream failed (or was not run) is marked not-run. Outcomes come back in `stages` order.
 */
export async function schedule(
  stages: readonly Stage[],
  upstream: ReadonlyMap<string, readonly { from: string }[]>,
  jobs: number,
  run: (stage: Stage, index: number) => Promise<StageOutcome>,
  reporter: RunReporter | undefined,
): Promise<StageOutcome[]> {
  const names = new Set(stages.map((s) => s.name));
  const done = new Map<string, StageOutcome>();
  const running = new Map<string, Promise<void>>();
  let started = 0;
  while (done.size < stages.length) {
    let progressed = false;
    for (const s of stages) {
      if (done.has(s.name) || running.has(s.name)) continue;
      const ups = (upstream.get(s.name) ?? []).map((e) => e.from).filter((n) => names.has(n));
      const blocker = ups
        .map((u) => done.get(u))
        .find((o) => o?.result === "failed" || o?.result === "not-run");
      if (blocker !== undefined) {
        const outcome: StageOutcome = {
          name: s.name,
          result: "not-run",
          reasons: [],
          durationMs: 0,
          blockedBy: blocker.blockedBy ?? blocker.name,
        };
        done.set(s.name, outcome);
        reporter?.stageFinished?.(outcome, ++started, stages.length);
        progressed = true;
        continue;
      }
      if (!ups.every((u) => done.has(u)) || running.size >= jobs) continue;
      const index = ++started;
      running.set(
        s.name,
        run(s, index).then((o) => {
          done.set(s.name, o);
          running.delete(s.name);
        }),
      );
      progressed = true;
    }
    if (running.size > 0) await Promise.race(running.values());
    else if (!progressed) throw new Error("pipeline scheduler stalled (a bug): no stage can start");
  }
  return stages.map((s) => done.get(s.name) as StageOutcome);
}
