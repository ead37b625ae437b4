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
  });
});
