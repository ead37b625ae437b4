import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../../packages/keel/test/support/temp-dir.js";
// @ts-expect-error: the lab is plain JavaScript run by learners with `npm run lab`
import { runLab } from "./lab.mjs";

describe("lab: model search", () => {
  const t = makeTempDir("lab-model-search");
  afterAll(() => t.cleanup());

  it("random, TPE and halving searches each beat the baseline and refit a packaged winner", async () => {
    const r = await runLab({ dir: join(t.dir, "p") });
    type Search = {
      strategy: string;
      status: string;
      best: { score: number; model: string };
      baseline: { mean: number };
      leaderboard: { budget: number }[];
      refitMetrics: Record<string, number>;
      modelUri: string;
    };
    const searches = r.searches as Search[];
    expect(searches.map((s) => s.strategy)).toEqual(["random", "tpe", "halving"]);
    for (const s of searches) {
      expect(s.status).toBe("FINISHED");
      expect(s.best.score).toBeGreaterThan(s.baseline.mean + 0.2);
      expect(s.refitMetrics.test_f1_macro).toBeGreaterThan(0.3);
      expect(s.modelUri).toMatch(/^runs:\/[0-9a-f]+\/model$/);
    }
    // Halving spends small budgets on most of its trials: more trials than the others, fewer at full budget.
    const halving = searches[2]!;
    expect(halving.leaderboard.length).toBeGreaterThan(18);
    expect(halving.leaderboard.filter((t) => t.budget === 1).length).toBeLessThan(18);
    // The grid covers the knn space exhaustively: 5 neighbour counts x 2 weightings.
    expect(r.grid.leaderboard.length).toBe(10);
  });
});
