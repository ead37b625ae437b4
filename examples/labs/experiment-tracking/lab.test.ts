import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../../packages/keel/test/support/temp-dir.js";
// @ts-expect-error: the lab is plain JavaScript run by learners with `npm run lab`
import { runLab } from "./lab.mjs";

describe("lab: experiment tracking", () => {
  const t = makeTempDir("lab-tracking");
  afterAll(() => t.cleanup());

  it("tracks a nested sweep and finds the same runs locally and through the MLflow REST API", async () => {
    const r = await runLab({ dir: join(t.dir, "p") });
    expect(r.trials).toBe(11);
    expect(r.historySteps).toEqual([...Array(11).keys()]);
    expect(r.localNames.length).toBeGreaterThan(0);
    expect(r.localNames.every((n: string) => n.startsWith("temp_max"))).toBe(true);
    expect(r.localValid.every((v: number) => v > 0.6)).toBe(true);
    expect([...r.localValid].sort((a: number, b: number) => b - a)).toEqual(r.localValid);
    expect(r.remoteNames).toEqual(r.localNames);
  });
});
