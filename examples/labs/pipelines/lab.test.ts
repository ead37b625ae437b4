import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../../packages/keel/test/support/temp-dir.js";
// @ts-expect-error: the lab is plain JavaScript run by learners with `npm run lab`
import { runLab } from "./lab.mjs";

type Report = { stages: { name: string; result: string }[] };
const results = (r: Report) => Object.fromEntries(r.stages.map((s) => [s.name, s.result]));

describe("lab: pipelines", () => {
  const t = makeTempDir("lab-pipelines");
  afterAll(() => t.cleanup());

  it("runs the DAG, skips what did not change, reruns exactly the dependents of a param, restores from cache", async () => {
    const r = await runLab({ dir: join(t.dir, "p") });
    const all = ["features", "split", "baseline", "train@gbdt", "train@logreg"];
    expect(Object.keys(results(r.first)).sort()).toEqual([...all].sort());
    expect(Object.values(results(r.first))).toEqual(all.map(() => "ran"));
    expect(Object.values(results(r.second))).toEqual(all.map(() => "skipped"));
    expect(results(r.third)).toEqual({
      features: "skipped",
      split: "ran",
      baseline: "ran",
      "train@gbdt": "ran",
      "train@logreg": "ran",
    });
    expect(results(r.fourth).split).toBe("restored");
    expect(results(r.fourth)["train@gbdt"]).toBe("skipped");
    expect(r.mermaid).toMatch(/^flowchart TD/m);
    expect(r.lock).toMatch(/train@gbdt:/);
    expect(r.lock).toMatch(/split\.test: 0\.2/);
    // Shared through a remote: the teammate pulls every cached output and has nothing to run.
    expect(r.pushed.recorded).toBe(r.pulled.outputs.length);
    expect(r.pulled.outputs.length).toBeGreaterThanOrEqual(2);
    expect(r.sameSplit).toBe(true);
    expect(r.teammateStatus.map((s: { action: string }) => s.action)).toEqual(all.map(() => "skip"));
  });
});
