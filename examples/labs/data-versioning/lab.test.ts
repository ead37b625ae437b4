import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { vegaDatasetPath } from "../../../packages/keel/src/datasets/vega-datasets.js";
import { makeTempDir } from "../../../packages/keel/test/support/temp-dir.js";
// @ts-expect-error: the lab is plain JavaScript run by learners with `npm run lab`
import { runLab } from "./lab.mjs";

describe("lab: data versioning", () => {
  const t = makeTempDir("lab-versioning-data");
  afterAll(() => t.cleanup());

  it("versions a label fix, diffs it by key, restores v1 byte for byte, and shares it through a remote", async () => {
    const r = await runLab({ dir: join(t.dir, "p") });
    expect([r.v1.version, r.v2.version]).toEqual([1, 2]);
    expect(r.v2.digest).not.toBe(r.v1.digest);
    expect(r.v1.digest).toBe(r.v1Hash);
    expect(r.v2.digest).toBe(r.v2Hash);
    // The fix relabels exactly January 2012's drizzle days, and the diff finds exactly those rows.
    const drizzleDays = readFileSync(vegaDatasetPath("seattle-weather.csv"), "utf8").match(
      /^2012-01-\d\d,.*,drizzle$/gm,
    )!;
    expect(r.diff.table.rowChanges.changed).toBe(drizzleDays.length);
    expect(drizzleDays.length).toBeGreaterThan(0);
    expect(r.diff.table.rows).toEqual({ a: 1461, b: 1461, delta: 0 });
    expect(r.restored).toBe(true);
    expect(r.same).toBe(true);
  });
});
