import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PythonRandom } from "../../src/monitor/detectors/index.js";
import { runKeelInProcess } from "../support/in-process-cli.js";
import { makeTempDir } from "../support/temp-dir.js";

/** `keel monitor detect ARGS` on the real command tree, in this process. */
function detect(args: string[]) {
  return runKeelInProcess(["monitor", "detect", ...args]);
}

const tmp = makeTempDir("keel-detect");
const file = (name: string, text: string) => {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
};
let numeric = "";
let binary = "";

beforeAll(() => {
  // River's documented streams: numbers (seed 12345) and errors (seed 42), with an extra id column.
  const r1 = new PythonRandom(12345);
  const xs = [...r1.choices([0, 1], 1000), ...r1.choices([4, 5, 6, 7], 1000)];
  numeric = file("numeric.csv", `id,x\n${xs.map((x, i) => `${i},${x}`).join("\n")}\n`);
  const r2 = new PythonRandom(42);
  const bits = [...r2.choices([0, 1], 1000), ...r2.choices([0, 1], 1000, [0.3, 0.7])];
  binary = file("errors.txt", `${bits.join("\n")}\n`);
});
afterAll(() => tmp.cleanup());

describe("keel monitor detect", () => {
  it("prints River's ADWIN index as JSON", async () => {
    const r = await detect(["--detector", "adwin", "--input", numeric, "--column", "x", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      detector: "adwin",
      params: { delta: 0.002, clock: 32, maxBuckets: 5, minWindowLength: 5, gracePeriod: 10 },
      n: 2000,
      warnings: [],
      drifts: [1023],
    });
  });

  it("takes River-style snake_case params and a headerless 0/1 file", async () => {
    const r = await detect([
      "-d",
      "eddm",
      "-p",
      "alpha=0.8",
      "-p",
      "beta=0.75",
      "-p",
      "warm_start=30",
      "-i",
      binary,
      "--json",
    ]);
    const out = JSON.parse(r.stdout);
    expect(out.drifts).toEqual([1278]);
    expect(out.warnings[0]).toBe(1059);
    expect(out.params).toEqual({ warmStart: 30, alpha: 0.8, beta: 0.75 });
  });

  it("prints a table of drifts and warning zones", async () => {
    const r = await detect(["-d", "ddm", "-i", binary]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ddm \(warmStart=30, warningThreshold=2, driftThreshold=3\) over 2000 values/);
    expect(r.stdout).toMatch(/drift\s+1334\s+1334/);
    expect(r.stdout).toMatch(/warning\s+1084\s+\d+/);
    expect(r.stdout).toMatch(/1 drift\(s\), \d+ warning zone\(s\)/);
  });

  it("Page-Hinkley and KSWIN match River's documented indices", async () => {
    const ph = await detect(["-d", "page-hinkley", "-i", numeric, "-c", "x", "--json"]);
    expect(JSON.parse(ph.stdout).drifts).toEqual([1006]);
    const ks = await detect([
      "-d",
      "kswin",
      "-p",
      "alpha=0.0001",
      "-p",
      "seed=42",
      "-i",
      numeric,
      "-c",
      "2",
      "--json",
    ]);
    expect(JSON.parse(ks.stdout).drifts).toEqual([1016]);
  });

  it("unknown detector: lists the detectors", async () => {
    const r = await detect(["-d", "cusum", "-i", binary]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: Unknown detector 'cusum'. Known detectors: adwin, ddm, eddm, page-hinkley, kswin, hddm-a\n",
    );
  });

  it("unknown param: lists the detector's params", async () => {
    const r = await detect(["-d", "adwin", "-p", "window=5", "-i", numeric, "-c", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: Unknown parameter 'window' for adwin. Its parameters: delta, clock, maxBuckets, minWindowLength, gracePeriod\n",
    );
  });

  it("bad param values are rejected", async () => {
    expect((await detect(["-d", "adwin", "-p", "delta=abc", "-i", numeric, "-c", "x"])).stderr).toBe(
      "error: --param delta=abc: expected a number\n",
    );
    const r = await detect(["-d", "adwin", "-p", "delta=5", "-i", numeric, "-c", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Invalid ADWIN parameters: param 'delta' = 5/);
  });

  it("non-numeric values: names the line and column", async () => {
    const bad = file("bad.csv", "err\n0.5\n1.5\nabc\n2\n");
    const r = await detect(["-d", "adwin", "-i", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${bad} line 4: column 'err' holds 'abc', not a number\n`);
    const empty = file("empty-cell.csv", "a,b\n1,2\n3,\n");
    expect((await detect(["-d", "adwin", "-i", empty, "-c", "b"])).stderr).toBe(
      `error: ${empty} line 3: column 'b' holds no value, not a number\n`,
    );
  });

  it("binary detectors reject values other than 0/1", async () => {
    const r = await detect(["-d", "hddm-a", "-i", numeric, "-c", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /line \d+: hddm-a takes 0\/1 errors \(1 = wrong prediction\), but column 'x' holds [4-7]/,
    );
  });

  it("several columns need --column; unknown columns and missing files are errors", async () => {
    expect((await detect(["-d", "adwin", "-i", numeric])).stderr).toBe(
      `error: ${numeric} has 2 columns (id, x); choose one with --column\n`,
    );
    expect((await detect(["-d", "adwin", "-i", numeric, "-c", "y"])).stderr).toMatch(
      /has no column 'y'. Columns: id, x/,
    );
    const missing = await detect(["-d", "adwin", "-i", join(tmp.dir, "nope.csv")]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/nope.csv: no such file/);
  });

  it("--help lists detectors, their defaults and examples", async () => {
    const r = await detect(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("page-hinkley");
    expect(r.stdout).toContain("delta=0.002");
    expect(r.stdout).toContain("Examples:");
  });
});
