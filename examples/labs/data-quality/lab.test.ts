import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../../packages/keel/test/support/temp-dir.js";
// @ts-expect-error: the lab is plain JavaScript run by learners with `npm run lab`
import { runLab } from "./lab.mjs";

describe("lab: data quality", () => {
  const t = makeTempDir("lab-quality");
  afterAll(() => t.cleanup());

  it("expectations drafted on the training era pass on it and catch the later cars", async () => {
    const r = await runLab({ dir: join(t.dir, "p") });
    expect(r.htmlReport).toBe(true);
    expect(r.profileRows).toBeGreaterThan(200);
    expect(r.missing.join(" ")).toMatch(/Miles_per_Gallon: \d+ missing/);
    expect(r.trainExit).toBe(0);
    expect(r.batchExit).toBe(1);
    expect(r.failed.length).toBeGreaterThan(0);
    expect(JSON.stringify(r.failed)).toMatch(/Year|Miles_per_Gallon|Weight_in_lbs/);
  });
});
