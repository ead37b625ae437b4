import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DriftReport } from "../../src/monitor/drift/drift-report.js";
import { runKeelInProcess } from "../support/in-process-cli.js";

const FIXTURES = join(import.meta.dirname, "fixtures");
const drift = (args: string[]) => runKeelInProcess(["monitor", "drift", ...args]);

let dir: string;
const home = process.cwd();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "keel-drift-cli-"));
  process.chdir(dir);
});
afterAll(async () => {
  process.chdir(home);
  await rm(dir, { recursive: true, force: true });
});

describe("keel monitor drift on files", () => {
  const ref = join(FIXTURES, "small-reference.csv");
  const cur = join(FIXTURES, "small-current.csv");

  it("prints the table and exits 1 on dataset drift", async () => {
    const r = await drift(["--reference", ref, "--current", cur]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/COLUMN\s+ROLE\s+TYPE\s+METHOD\s+SCORE/);
    expect(r.stdout).toMatch(/cat_unseen .*chisquare .*DRIFT .*1: z/);
    expect(r.stdout).toMatch(/DATASET DRIFT: 5 of 8 features drifted/);
  });

  it("exits 0 without dataset drift and honours --columns, --method, --threshold", async () => {
    const r = await drift([
      "--reference",
      ref,
      "--current",
      cur,
      "--columns",
      "num_same,num_const,num_shift",
      "--method",
      "num_shift=psi",
      "--threshold",
      "num_shift=5",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as DriftReport;
    expect(report.columns.map((c) => [c.column, c.method, c.threshold])).toEqual([
      ["num_shift", "psi", 5],
      ["num_same", "ks", 0.05],
      ["num_const", "z", 0.05],
    ]);
    expect(report.datasetDrift).toBe(false);
  });

  it("writes one self-contained HTML report", async () => {
    const html = join(dir, "report.html");
    const r = await drift(["--reference", ref, "--current", cur, "--html", html, "--drift-share", "0.9"]);
    expect(r.code, r.stderr).toBe(0);
    const text = await readFile(html, "utf8");
    expect(text).toMatch(/^<!doctype html>/);
    expect(text).toContain("No dataset drift: 5 of 8 features drifted");
    expect((text.match(/<svg/g) ?? []).length).toBe(8);
    expect(text).not.toMatch(/<script|<link|https?:\/\/|@import|url\(/);
  });

  it("rejects bad input with a clear message and exit 2 or 4", async () => {
    const cases: [string[], number, RegExp][] = [
      [["--reference", join(dir, "missing.csv"), "--current", cur], 4, /no such file/],
      [
        ["--reference", ref, "--current", cur, "--method", "num_same=bogus"],
        2,
        /Unknown drift method 'bogus'/,
      ],
      [["--reference", ref, "--current", cur, "--method", "nope=psi"], 2, /--method names column 'nope'/],
      [
        ["--reference", ref, "--current", cur, "--method", "cat_shift=ks"],
        2,
        /cannot test column 'cat_shift'/,
      ],
      [
        ["--reference", ref, "--current", cur, "--threshold", "num_same=-1"],
        2,
        /threshold must be a number >= 0/,
      ],
      [["--reference", ref, "--current", cur, "--since", "24h"], 2, /use them with --current endpoint:NAME/],
      [["--reference", ref, "--current", cur, "--columns", "ghost"], 2, /Unknown column 'ghost'/],
      [["--reference", ref, "--current", cur, "--drift-share", "2"], 2, /drift-share must be in/],
      [["--reference", "weather@x", "--current", cur], 2, /Invalid dataset reference/],
    ];
    for (const [args, code, message] of cases) {
      const r = await drift(args);
      expect([r.code, r.stderr], args.join(" ")).toEqual([code, expect.stringMatching(message)]);
    }
  });
});

describe("keel monitor drift on an endpoint's prediction log", () => {
  const stamp = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

  beforeAll(async () => {
    const logDir = join(dir, ".keel", "predictions", "flights");
    await mkdir(logDir, { recursive: true });
    const now = Date.now();
    const lines: string[] = [];
    const feedback: string[] = [];
    for (let i = 0; i < 400; i++) {
      const distance = 200 + ((i * 37) % 900) + (i % 2 === 0 ? 300 : 0);
      const origin = ["SEA", "SFO", "LAX", "JFK"][i % 4];
      const p = (i % 10) / 10;
      lines.push(
        JSON.stringify({
          request_id: `r${i}`,
          row: 0,
          time: stamp(now - (i < 200 ? 3 * 3_600_000 : 60_000)),
          endpoint: "flights",
          model: "flights",
          version: "1",
          inputs: { distance, origin },
          outputs: { label: p > 0.5 ? "true" : "false", probabilities: [1 - p, p] },
          latency_ms: 1,
          shadow: i % 50 === 7,
        }),
      );
      if (i % 3 === 0)
        feedback.push(JSON.stringify({ request_id: `r${i}`, row: 0, label: i % 4 === 0, time: stamp(now) }));
    }
    await writeFile(join(logDir, "predictions-20240101T000000Z-1-1.jsonl"), `${lines.join("\n")}\n`);
    await writeFile(join(logDir, "feedback.jsonl"), `${feedback.join("\n")}\n`);
    const ref = ["distance,origin,delayed,label,proba_false,proba_true"];
    for (let i = 0; i < 300; i++) {
      const p = ((i * 7) % 10) / 10;
      ref.push(
        `${200 + ((i * 53) % 900)},${["SEA", "SFO", "LAX"][i % 3]},${i % 5 === 0},${p > 0.5},${1 - p},${p}`,
      );
    }
    await writeFile(join(dir, "ref.csv"), `${ref.join("\n")}\n`);
  });

  it("flattens inputs, outputs and feedback, and reports prediction and target drift", async () => {
    const r = await drift([
      "--reference",
      "ref.csv",
      "--current",
      "endpoint:flights",
      "--target",
      "delayed",
      "--json",
    ]);
    expect([0, 1]).toContain(r.code);
    const report = JSON.parse(r.stdout) as DriftReport;
    expect(report.currentRows).toBe(392); // 8 shadow copies left out
    const roles = Object.fromEntries(report.columns.map((c) => [c.column, c.role]));
    expect(roles).toEqual({
      distance: "feature",
      origin: "feature",
      delayed: "target",
      label: "prediction",
      proba_false: "prediction",
      proba_true: "prediction",
    });
    expect(report.columns.find((c) => c.column === "distance")!.kind).toBe("numerical");
    expect(report.columns.find((c) => c.column === "origin")!.newCategories).toEqual([
      { value: "JFK", count: 96 },
    ]); // 100 minus 4 shadow copies
    expect(report.predictionDrift).not.toBeNull();
    expect(report.targetDrift).not.toBeNull();
    expect(report.columns.find((c) => c.column === "delayed")!.current.values).toBe(131);
  });

  it("limits the log to --since and errors on an empty window", async () => {
    const r = await drift([
      "--reference",
      "ref.csv",
      "--current",
      "endpoint:flights",
      "--since",
      "1h",
      "--json",
    ]);
    expect(JSON.parse(r.stdout).currentRows).toBe(196);
    const empty = await drift(["--reference", "ref.csv", "--current", "endpoint:flights", "--until", "30d"]);
    expect([empty.code, empty.stderr]).toEqual([
      2,
      expect.stringMatching(/no predictions in the time window/),
    ]);
    const none = await drift(["--reference", "ref.csv", "--current", "endpoint:nobody"]);
    expect([none.code, none.stderr]).toEqual([
      2,
      expect.stringMatching(/No prediction log for endpoint 'nobody'/),
    ]);
  });
});
