import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runKeelInProcess } from "../support/in-process-cli.js";
import { makeProject, type Project, penguinFiles } from "./helpers.js";

/** `keel ARGS` in-process on the real command tree, output captured. */
const keel = runKeelInProcess;

describe("keel train / baseline / evaluate / models export+import (CLI)", () => {
  let p: Project;
  let files: { train: string; test: string };
  let store: string[];
  const savedRoot = process.env.KEEL_ARTIFACT_ROOT;

  beforeAll(async () => {
    p = await makeProject();
    files = await penguinFiles(p.dir);
    store = ["--tracking-uri", p.trackingUri];
    // The CLI resolves the artifact root from keel.yaml in the cwd; point it at the temp project.
    process.env.KEEL_ARTIFACT_ROOT = join(p.dir, ".keel", "artifacts");
  }, 60_000);
  afterAll(async () => {
    if (savedRoot === undefined) delete process.env.KEEL_ARTIFACT_ROOT;
    else process.env.KEEL_ARTIFACT_ROOT = savedRoot;
    await p.close();
  });

  it("train --json prints the run id, a usable model URI, metrics and baseline; the table shows the lift", async () => {
    const json = await keel([
      "train",
      ...["--data", files.train, "--test", files.test, "--target", "species", "--model", "tree"],
      ...[
        "--param",
        "max_depth=4",
        "--register",
        "penguins-tree",
        "--alias",
        "challenger",
        "--json",
        ...store,
      ],
    ]);
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout) as {
      run_id: string;
      model_uri: string;
      metrics: Record<string, number>;
      baseline: Record<string, number>;
    };
    expect(r.model_uri).toBe(`runs:/${r.run_id}/model`);
    expect(r.metrics.test_accuracy).toBeGreaterThan(0.9);
    expect(r.baseline.test_accuracy).toBeLessThan(0.5);

    const table = await keel([
      "train",
      "--data",
      files.train,
      "--target",
      "species",
      "--model",
      "nb",
      ...store,
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/METRIC\s+NB\s+BASELINE\s+LIFT/);
    expect(table.stdout).toMatch(/test_accuracy\s+[\d.]+\s+[\d.]+\s+\+[\d.]+/);

    const ev = await keel(["evaluate", "models:/penguins-tree@challenger", "--data", files.test, ...store]);
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.stdout).toMatch(/Confusion matrix/);
    expect(ev.stdout).toMatch(/Calibration of P\(predicted class\)/);

    const out = join(p.dir, "tree-export");
    const exp = await keel(["models", "export", r.model_uri, "--out", out, ...store]);
    expect(exp.code, exp.stderr).toBe(0);
    const imp = await keel([
      "models",
      "import",
      join(out, "model.onnx"),
      ...[
        "--name",
        "tree-onnx",
        "--labels",
        "Adelie,Chinstrap,Gentoo",
        "--target",
        "species",
        "--json",
        ...store,
      ],
    ]);
    expect(imp.code, imp.stderr).toBe(0);
    expect((JSON.parse(imp.stdout) as { version: { version: string } }).version.version).toBe("1");
  }, 120_000);

  it("baseline prints every dummy strategy and the one-feature rule", async () => {
    const r = await keel(["baseline", "--data", files.train, "--target", "species", ...store]);
    expect(r.code, r.stderr).toBe(0);
    for (const name of ["most_frequent", "prior", "stratified", "uniform", "one_feature"])
      expect(r.stdout).toContain(name);
  }, 60_000);

  it("bad input fails with a clear message and exit 2", async () => {
    const csv = (name: string, text: string) => {
      const path = join(p.dir, name);
      writeFileSync(path, text);
      return path;
    };
    const rows = (f: (i: number) => string) => Array.from({ length: 40 }, (_, i) => f(i)).join("\n");
    const cases: [string[], RegExp][] = [
      [
        ["--data", files.train, "--target", "nope"],
        /--target 'nope' is not a column of .*; its columns: species, island/,
      ],
      [
        ["--data", csv("one.csv", `x,y\n${rows((i) => `${i},a`)}\n`), "--target", "y"],
        /single class \('a'\)/,
      ],
      [
        ["--data", csv("missing.csv", `x,z,y\n${rows((i) => `${i},,${i % 2}`)}\n`), "--target", "y"],
        /Column 'z' has no values \(all 40 rows missing\)/,
      ],
      [
        [
          "--data",
          csv("text.csv", `x,y\n${rows((i) => `${i === 7 ? "abc" : i},${i % 2}`)}\n`),
          "--target",
          "y",
        ],
        /Column 'x' .* row 7 is 'abc'/,
      ],
      [["--data", csv("empty.csv", ""), "--target", "y"], /--data .*empty\.csv/],
      [["--data", csv("header.csv", "x,y\n"), "--target", "y"], /has no rows/],
      [
        ["--data", files.train, "--target", "species", "--model", "ridge"],
        /does not do classification.*gbdt, rf/,
      ],
      [
        ["--data", files.train, "--target", "species", "--param", "depth=3"],
        /no parameter 'depth'; its parameters: learningRate, maxIter/,
      ],
      [
        ["--data", files.train, "--target", "species", "--model", "xgb"],
        /Unknown model 'xgb'; use one of gbdt/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await keel(["train", ...args, ...store]);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  }, 60_000);
});
