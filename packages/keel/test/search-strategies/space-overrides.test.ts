import { describe, expect, it } from "vitest";
import { isKeelError } from "../../src/errors.js";
import { applyOverrides } from "../../src/search/space/apply-overrides.js";
import { defaultSpace } from "../../src/search/space/default-spaces.js";
import { parseSpaceOverrides } from "../../src/search/space/space-overrides.js";

function errorOf(input: unknown): string {
  try {
    parseSpaceOverrides(input, "space.yaml");
  } catch (e) {
    expect(isKeelError(e) && e.code).toBe("INVALID_PARAMETER_VALUE");
    return (e as Error).message;
  }
  throw new Error("expected parseSpaceOverrides to throw");
}

describe("parseSpaceOverrides", () => {
  const yaml = [
    "gbdt:",
    "  learningRate: {loguniform: [0.01, 0.3]}",
    "  maxDepth: {int: [3, 10]}",
    "  earlyStopping: {choice: [true, false]}",
    "  l2_regularization: 1.0   # a constant, snake_case accepted",
    "  maxLeafNodes: null       # not searched",
    "  max_bins: {int: [32, 255], step: 32}",
    "knn:",
    "  nNeighbors: {logint: [1, 30]}",
    "",
  ].join("\n");

  it("parses distributions, constants, removals and snake_case names", () => {
    const o = parseSpaceOverrides(yaml);
    expect(o.gbdt?.params).toEqual([
      { name: "learningRate", dist: { kind: "uniform", low: 0.01, high: 0.3, log: true } },
      { name: "maxDepth", dist: { kind: "int", low: 3, high: 10, log: false } },
      { name: "earlyStopping", dist: { kind: "choice", values: [true, false] } },
      { name: "l2Regularization", dist: { kind: "choice", values: [1] } },
      { name: "maxBins", dist: { kind: "int", low: 32, high: 255, log: false, step: 32 } },
    ]);
    expect(o.gbdt?.remove).toEqual(["maxLeafNodes"]);
    expect(o.knn?.params[0]?.dist).toEqual({ kind: "int", low: 1, high: 30, log: true });
  });

  it("merges over the defaults: replaced in place, fixed constants, removed, added at the end", () => {
    const space = applyOverrides(defaultSpace("gbdt"), parseSpaceOverrides(yaml).gbdt);
    const names = space.params.map((p) => p.name);
    expect(names).not.toContain("maxLeafNodes");
    expect(names.at(-1)).toBe("maxBins");
    expect(names.indexOf("maxDepth")).toBe(
      defaultSpace("gbdt").params.findIndex((p) => p.name === "maxDepth") - 1,
    );
    expect(space.params.find((p) => p.name === "l2Regularization")?.dist).toEqual({
      kind: "choice",
      values: [1],
    });
    // The default condition of nIterNoChange survives a replaced parent that can still enable it.
    expect(space.params.find((p) => p.name === "nIterNoChange")?.when).toEqual({ earlyStopping: [true] });
  });

  it("drops a default child whose parent is fixed outside its condition or removed", () => {
    const fixedOff = applyOverrides(
      defaultSpace("gbdt"),
      parseSpaceOverrides("gbdt: {earlyStopping: false}").gbdt,
    );
    expect(fixedOff.params.map((p) => p.name)).not.toContain("nIterNoChange");
    const removed = applyOverrides(
      defaultSpace("gbdt"),
      parseSpaceOverrides("gbdt: {earlyStopping: null}").gbdt,
    );
    expect(removed.params.map((p) => p.name)).not.toContain("nIterNoChange");
    const fixedOn = applyOverrides(
      defaultSpace("gbdt"),
      parseSpaceOverrides("gbdt: {earlyStopping: true}").gbdt,
    );
    expect(fixedOn.params.map((p) => p.name)).toContain("nIterNoChange");
  });

  it("accepts a user condition on an earlier param", () => {
    const o = parseSpaceOverrides(
      "rf:\n  bootstrap: {choice: [true, false]}\n  min_samples_split: {int: [2, 20], when: {bootstrap: false}}\n",
    );
    expect(o.rf?.params[1]).toEqual({
      name: "minSamplesSplit",
      dist: { kind: "int", low: 2, high: 20, log: false },
      when: { bootstrap: [false] },
    });
  });

  it("takes an object as well as YAML text, and an empty document", () => {
    expect(
      parseSpaceOverrides({ nb: { varSmoothing: { loguniform: [1e-9, 1e-3] } } }).nb?.params,
    ).toHaveLength(1);
    expect(parseSpaceOverrides("")).toEqual({});
    expect(parseSpaceOverrides("# nothing\n")).toEqual({});
  });

  it("reports bad YAML", () => {
    expect(errorOf("gbdt:\n  maxDepth: {int: [3, 10]\n")).toMatch(/^space.yaml: invalid YAML/);
  });

  it("names the line and param of a bad distribution", () => {
    expect(errorOf("gbdt:\n  learningRate: {loguniform: [0, 0.3]}\n")).toMatch(
      /space.yaml: gbdt.learningRate \(line 2\): a log scale needs low > 0/,
    );
    expect(errorOf("knn:\n  weights: {choice: []}\n  nNeighbors: {int: [9, 3]}\n")).toMatch(
      /knn.weights \(line 2\)/,
    );
    expect(errorOf("knn:\n  nNeighbors: {int: [9, 3]}\n")).toMatch(
      /knn.nNeighbors \(line 2\): low \(9\) is greater/,
    );
  });

  it("lists the valid params of a model for an unknown name", () => {
    expect(errorOf("knn:\n  k: {int: [1, 5]}\n")).toMatch(
      /knn.k \(line 2\): model 'knn' has no param 'k'; its params: nNeighbors, weights/,
    );
  });

  it("rejects unknown models, ambiguous lists, unknown keys and two kinds", () => {
    expect(errorOf("svm:\n  C: 1\n")).toMatch(
      /svm \(line 1\): unknown model 'svm'; overrides exist for gbdt/,
    );
    expect(errorOf("dummy: {}\n")).toMatch(/unknown model 'dummy'/);
    expect(errorOf("knn:\n  nNeighbors: [1, 5]\n")).toMatch(/ambiguous; write \{choice: \[1,5\]\}/);
    expect(errorOf("knn:\n  nNeighbors: {int: [1, 5], lg: true}\n")).toMatch(/unknown key 'lg'/);
    expect(errorOf("knn:\n  nNeighbors: {int: [1, 5], uniform: [1, 5]}\n")).toMatch(
      /exactly one of.*not uniform and int/,
    );
    expect(errorOf("knn:\n  nNeighbors: {int: [1]}\n")).toMatch(/needs \[low, high\]/);
    expect(errorOf("knn:\n  weights: {choice: [a, b], step: 2}\n")).toMatch(/step.*int only/);
    expect(errorOf(["gbdt"])).toMatch(/expected a mapping of model names/);
    expect(errorOf({ knn: 3 })).toMatch(/knn: expected a mapping of param names/);
  });

  it("rejects a condition on an unknown or later param", () => {
    expect(errorOf("rf:\n  bootstrap: {choice: [true, false], when: {depth: 3}}\n")).toMatch(
      /rf.bootstrap \(line 2\): `when`: model 'rf' has no param 'depth'/,
    );
    expect(errorOf("knn:\n  nNeighbors: {int: [1, 5], when: {weights: uniform}}\n")).toMatch(
      /knn \(line 1\): Search-space param 'nNeighbors': `when` names 'weights', which is listed after it/,
    );
  });
});
