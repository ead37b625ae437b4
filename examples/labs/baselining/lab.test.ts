import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../../packages/keel/test/support/temp-dir.js";
// @ts-expect-error: the lab is plain JavaScript run by learners with `npm run lab`
import { runLab } from "./lab.mjs";

describe("lab: baselining", () => {
  const t = makeTempDir("lab-baselining");
  afterAll(() => t.cleanup());

  it("lists dummy and one-feature baselines, and the model beats the best of them", async () => {
    const r = await runLab({ dir: join(t.dir, "p") });
    type Row = { name: string; metrics: { accuracy: number } };
    const rows = r.baselines as Row[];
    const names = rows.map((b) => b.name);
    expect(names).toEqual(expect.arrayContaining(["most_frequent", "prior", "stratified", "uniform"]));
    const rule = rows.find((b) => !["most_frequent", "prior", "stratified", "uniform"].includes(b.name))!;
    const mostFrequent = rows.find((b) => b.name === "most_frequent")!;
    expect(rule.metrics.accuracy).toBeGreaterThan(mostFrequent.metrics.accuracy);
    expect(r.trained.baseline.test_accuracy).toBeCloseTo(mostFrequent.metrics.accuracy, 12);
    expect(r.trained.metrics.test_accuracy).toBeGreaterThan(r.bestBaseline);

    // keel ci gate: a dummy challenger fails (exit 1) against the best baseline; the gbdt
    // challenger beats the baseline, and the verdict on the logreg champion decides its exit code.
    expect(r.weakGate.exitCode).toBe(1);
    expect(r.weakGate.checks[0].reference).toBe("baseline");
    expect(r.weakGate.checks[0].passed).toBe(false);
    const [baseline, champion] = r.strongGate.checks;
    expect(baseline.passed).toBe(true);
    expect(baseline.lift).toBeGreaterThan(0);
    expect(champion.description).toBe("models:/penguins/1");
    expect(r.strongGate.exitCode).toBe(r.strongGate.passed ? 0 : 1);
    expect(r.strongGate.passed).toBe(champion.lift > 0);
  });
});
