import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, keel } from "../cli/run-cli.js";
import { makeProject, type Project, runView, weatherFiles } from "./helpers.js";

/** The compiled CLI (the root `npm test` builds first), stopped with a real SIGINT. */
describe("keel search: Ctrl-C stops cleanly and --resume continues", () => {
  let p: Project;
  let files: { train: string; test: string };

  beforeAll(async () => {
    p = await makeProject();
    files = await weatherFiles(p.dir);
  }, 60_000);
  afterAll(async () => p.close());

  /** Trials of experiment `name` that finished so far. */
  const finishedTrials = async (name: string): Promise<number> => {
    const exp = await p.tracker.store.getExperimentByName(name);
    if (exp === null) return 0;
    const page = await p.tracker.store.searchRuns({
      experimentIds: [exp.experimentId],
      filter: "tags.`keel.trial.status` = 'FINISHED'",
    });
    return page.items.length;
  };

  it("SIGINT: no new trials, the search run KILLED, the resume command printed; --resume finishes it", async () => {
    const args = ["search", "--data", files.train, "--target", "weather", "--models", "knn"];
    const child = spawn(
      process.execPath,
      [CLI, ...args, "--strategy", "random", "--trials", "300", "--cv", "2", "--experiment", "sigint"],
      {
        cwd: p.dir,
        env: { ...process.env, KEEL_TRACKING_URI: p.trackingUri, KEEL_ARTIFACT_ROOT: "" },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += String(d);
    });
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while ((await finishedTrials("sigint")) < 2 && Date.now() < deadline) await sleep(50);
    child.kill("SIGINT");
    expect(await exited).toBe(130);

    const runId = /stopped; resume with: keel search --resume ([0-9a-f]+)/.exec(stderr)?.[1];
    expect(runId, stderr).toBeDefined();
    expect(stdout).toMatch(/RANK\s+TRIAL/);
    const parent = await p.tracker.store.getRun(runId!);
    expect(parent.info.status).toBe("KILLED");
    const done = await finishedTrials("sigint");
    expect(done).toBeGreaterThanOrEqual(2);
    expect(done).toBeLessThan(300);
    expect(runView(parent).metric("n_trials")).toBe(done);

    // Resume with a tiny time budget: one more trial, then the refit; same run.
    const resumed = keel(p.dir, ["search", "--resume", runId!, "--time-budget", "1ms", "--json"], {
      KEEL_TRACKING_URI: p.trackingUri,
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    const out = JSON.parse(resumed.stdout) as {
      runId: string;
      status: string;
      ended: string;
      leaderboard: unknown[];
    };
    expect(out).toMatchObject({ runId, status: "FINISHED", ended: "time-budget" });
    expect(out.leaderboard.length).toBeGreaterThan(done);
    expect((await p.tracker.store.getRun(runId!)).info.status).toBe("FINISHED");
  }, 60_000);
});
