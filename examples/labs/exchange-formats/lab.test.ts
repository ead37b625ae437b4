import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../../packages/keel/test/support/temp-dir.js";
// @ts-expect-error: the lab is plain JavaScript run by learners with `npm run lab`
import { runLab } from "./lab.mjs";

describe("lab: exchange formats", () => {
  const t = makeTempDir("lab-onnx");
  afterAll(() => t.cleanup());

  it("exports a package any ONNX checker accepts, serves it with @keel/runtime, and imports it back unchanged", async () => {
    const r = await runLab({ dir: join(t.dir, "p") });
    expect(r.trained.metrics.test_rmse).toBeLessThan(r.trained.baseline.test_rmse);
    expect(r.checkerStatus).toBe(0);
    const value = (r.prediction.values ?? r.prediction.variable)[0];
    expect(value).toBeGreaterThan(10);
    expect(value).toBeLessThan(50);
    expect(r.rejection).toMatch(/column 'cylinders'.*string/);
    expect(r.rejection).toMatch(/column 'year' is missing/);
    expect(r.copy).toBeCloseTo(r.original, 9);
  });
});
