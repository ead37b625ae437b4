import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../../packages/keel/test/support/temp-dir.js";
// @ts-expect-error: the lab is plain JavaScript run by learners with `npm run lab`
import { runLab } from "./lab.mjs";

describe("lab: monitoring", () => {
  const t = makeTempDir("lab-monitoring");
  afterAll(() => t.cleanup());

  it("stays quiet on January-March traffic, then finds drift on April-June's worst days and retrains once", async () => {
    const r = await runLab({ dir: join(t.dir, "p") });
    expect(r.quiet.verdict).toBe("no_drift");
    expect(r.quiet.exitCode).toBe(0);
    expect(r.shifted.verdict).toBe("drift");
    expect(r.shifted.exitCode).toBe(1);
    expect(r.retrainRuns).toBe(1);
    expect(r.history.episodes).toHaveLength(1);
    // The served model is worse on the shifted days than on the quiet ones.
    const n = r.errors.length / 2;
    const rate = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(rate(r.errors.slice(n))).toBeGreaterThan(rate(r.errors.slice(0, n)));
    // DDM on the right/wrong stream fires only after the shift.
    expect(r.detected.drifts.length).toBeGreaterThan(0);
    expect(r.detected.drifts.every((i: number) => i >= n)).toBe(true);
    const month = r.drift.columns.find((c: { column: string }) => c.column === "month");
    expect(month.drifted).toBe(true);
  }, 240_000);
});
