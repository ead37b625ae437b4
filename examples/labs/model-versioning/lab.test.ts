import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../../packages/keel/test/support/temp-dir.js";
// @ts-expect-error: the lab is plain JavaScript run by learners with `npm run lab`
import { runLab } from "./lab.mjs";

describe("lab: model versioning", () => {
  const t = makeTempDir("lab-versioning");
  afterAll(() => t.cleanup());

  it("promotes only versions that beat the champion, records every move, and traces lineage to the data", async () => {
    const r = await runLab({ dir: join(t.dir, "p") });
    type Decision = { version: string; acc: number; promoted: boolean };
    const decisions = r.decisions as Decision[];
    expect(decisions.map((d) => d.version)).toEqual(["1", "2", "3"]);
    // Promotion happens exactly when a version beats every earlier one.
    let best = -1;
    for (const d of decisions) {
      expect(d.promoted).toBe(d.acc > best);
      best = Math.max(best, d.acc);
    }
    const champion = decisions.filter((d) => d.promoted).at(-1)!;
    expect(r.championVersion).toBe(champion.version);
    expect(r.history.at(-1)[1]).toBe(champion.version);
    expect(r.history.length).toBe(decisions.filter((d) => d.promoted).length);
    expect(r.history.length).toBeGreaterThan(1);
    expect(r.lineageDigest).toBe(r.digest);
    expect(existsSync(join(fileURLToPath(r.championUri), "rule.json"))).toBe(true);
  });
});
