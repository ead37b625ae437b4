import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../../packages/keel/test/support/temp-dir.js";
// @ts-expect-error: the lab is plain JavaScript run by learners with `npm run lab`
import { runLab } from "./lab.mjs";

describe("lab: deployment strategies", () => {
  const t = makeTempDir("lab-deploy");
  afterAll(() => t.cleanup());

  it("switches, rolls back, promotes a canary and shadows under live traffic with zero failed requests", async () => {
    const r = await runLab({ dir: join(t.dir, "p") });
    expect(r.failures).toEqual([]);
    const types = r.events.map((e: { type: string }) => e.type);
    expect(types[0]).toBe("created");
    expect(types).toContain("rolled_back");
    expect(types).toContain("promoted");
    expect(r.final.endpoint.policy.stable.version).toBe("2");
    expect(r.final.endpoint.policy.strategy).toBe("shadow");
    expect(r.compare.shadow.pairs).toBeGreaterThan(0);
    // While shadowing, clients only ever got the stable version's answers.
    expect(Object.keys(r.shadowAnswers)).toEqual(["2"]);
  }, 240_000);
});
