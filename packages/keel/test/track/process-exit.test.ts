/**
 * Real child processes using the compiled tracking client (packages/keel/dist, built by
 * `tsc -b` before the tests): a process that exits without ending its run still flushes its
 * metrics, a SIGTERM flushes and marks the run KILLED, and a SIGKILLed process leaves a RUNNING
 * run that failStaleRuns marks FAILED. Each runs embedded (shared SQLite file) and remote.
 */
import { existsSync } from "node:fs";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DIST_TRACK,
  DIST_TRACK_PATH,
  exitOf,
  firstLine,
  fullHistory,
  type Mode,
  openEnv,
  spawnModule,
  TOKEN,
  type TrackingEnv,
} from "./helpers.js";

beforeAll(() => {
  if (!existsSync(DIST_TRACK_PATH)) {
    throw new Error(
      `${DIST_TRACK_PATH} is missing: run \`npx tsc -b packages/runtime packages/keel\` first.`,
    );
  }
});

/** Child source: open a tracker from env, start a run, print its id, then `body`. */
function childSource(body: string): string {
  return `
    import { Tracker } from ${JSON.stringify(DIST_TRACK)};
    const tracker = await Tracker.open({ trackingUri: process.env.T_URI, cwd: process.env.T_DIR });
    const run = await tracker.startRun({ experiment: "children", runName: process.env.T_NAME });
    ${body}
  `;
}

describe.each<Mode>(["embedded", "remote"])("tracking child processes (%s)", (mode) => {
  let env: TrackingEnv;
  let childEnv: Record<string, string>;
  beforeEach(async () => {
    env = await openEnv(mode);
    childEnv = { T_URI: env.trackingUri, T_DIR: env.dir, KEEL_TRACKING_TOKEN: TOKEN };
  });
  afterEach(async () => {
    await env.close();
  });

  it("flushes buffered metrics and ends the run when the process exits without end()", async () => {
    const child = spawnModule(
      childSource(`
        for (let i = 0; i < 2500; i++) run.logMetric("m", i, { step: i });
        console.log(run.id);
      `),
      { ...childEnv, T_NAME: "forgetful" },
    );
    const [runId, exit] = await Promise.all([firstLine(child), exitOf(child)]);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(await fullHistory(env.direct, runId, "m")).toHaveLength(2500);
    expect((await env.direct.getRun(runId)).info.status).toBe("FINISHED");
  });

  it("ends the run FAILED when the process exits with a non-zero code", async () => {
    const child = spawnModule(
      childSource(`
        run.logMetric("m", 1);
        console.log(run.id);
        process.exitCode = 3;
      `),
      { ...childEnv, T_NAME: "failing" },
    );
    const [runId, exit] = await Promise.all([firstLine(child), exitOf(child)]);
    expect(exit.code).toBe(3);
    const run = await env.direct.getRun(runId);
    expect(run.info.status).toBe("FAILED");
    expect(run.data.metrics.map((m) => m.key)).toEqual(["m"]);
  });

  it("flushes on SIGTERM, marks the run KILLED and still dies of the signal", async () => {
    const child = spawnModule(
      childSource(`
        for (let i = 0; i < 1500; i++) run.logMetric("m", i, { step: i });
        console.log(run.id);
        setInterval(() => {}, 1000);
      `),
      { ...childEnv, T_NAME: "terminated" },
    );
    const exited = exitOf(child);
    const runId = await firstLine(child);
    child.kill("SIGTERM");
    const exit = await exited;
    expect(exit.signal).toBe("SIGTERM");
    expect(await fullHistory(env.direct, runId, "m")).toHaveLength(1500);
    expect((await env.direct.getRun(runId)).info.status).toBe("KILLED");
  });

  it("failStaleRuns marks the run of a SIGKILLed process FAILED", async () => {
    const child = spawnModule(childSource("console.log(run.id); setInterval(() => {}, 1000);"), {
      ...childEnv,
      T_NAME: "crashed",
    });
    const exited = exitOf(child);
    const runId = await firstLine(child);
    const alive = await env.tracker.startRun({ runName: "mine" });
    // While the child lives, its run is not stale.
    expect(await env.tracker.failStaleRuns()).toEqual([]);
    child.kill("SIGKILL");
    expect((await exited).signal).toBe("SIGKILL");
    expect((await env.direct.getRun(runId)).info.status).toBe("RUNNING");

    expect(await env.tracker.failStaleRuns()).toEqual([runId]);
    const failed = await env.direct.getRun(runId);
    expect(failed.info.status).toBe("FAILED");
    expect(failed.info.endTime).not.toBeNull();
    expect(failed.data.tags.find((t) => t.key === "keel.staleReason")?.value).toMatch(/is gone/);
    expect((await env.direct.getRun(alive.id)).info.status).toBe("RUNNING");
    expect(await env.tracker.failStaleRuns()).toEqual([]);
    await alive.end();
  });
});
