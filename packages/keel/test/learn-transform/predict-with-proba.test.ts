import { describe, expect, it } from "vitest";
import { Rng } from "../../src/learn/core/random.js";
import { tableFromArrays } from "../../src/learn/core/table.js";
import { DummyClassifier } from "../../src/learn/dummy/index.js";
import { HistGradientBoostingClassifier } from "../../src/learn/ensemble/index.js";
import { LogisticRegression } from "../../src/learn/linear/index.js";
import { Pipeline } from "../../src/learn/pipeline/index.js";
import { StandardScaler } from "../../src/learn/transform/index.js";

describe("Pipeline.predictWithProba", () => {
  const rng = new Rng(5);
  const n = 400;
  const x = Array.from({ length: n }, () => rng.next() * 4);
  const z = Array.from({ length: n }, () => rng.next());
  const y = Int32Array.from(x, (v, i) => (v + z[i]! > 2.5 ? 1 : v > 3 ? 2 : 0));
  const X = tableFromArrays({ x, z });

  it("returns predict's labels and predictProba's probabilities, for argmax and other classifiers", () => {
    for (const model of [
      new HistGradientBoostingClassifier({ maxIter: 20 }),
      new LogisticRegression(),
      new DummyClassifier({ strategy: "stratified", seed: 3 }),
    ]) {
      const pipe = new Pipeline({
        steps: [
          ["scale", new StandardScaler()],
          ["model", model],
        ],
      }).fit(X, y);
      const both = pipe.predictWithProba(X);
      expect(both.proba).toEqual(pipe.predictProba(X));
      expect(both.label).toEqual(pipe.predict(X));
    }
  });

  it("derives labels from probabilities only for classifiers tagged predictIsArgmax", () => {
    expect(HistGradientBoostingClassifier.tags.predictIsArgmax).toBe(true);
    expect(LogisticRegression.tags.predictIsArgmax).toBe(true);
    // The stratified dummy draws labels at random: its labels are not the argmax.
    expect(DummyClassifier.tags.predictIsArgmax).toBeUndefined();
  });
});
