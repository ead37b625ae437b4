import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { computeDrift } from "../../src/monitor/drift/compute-drift.js";

// Expected values: fixtures/make_fixtures.py (SciPy 1.10 + Evidently's rules transcribed).
const FIXTURES = join(import.meta.dirname, "fixtures");
type Expected = Record<
  string,
  {
    method: string;
    score: number;
    statistic: number | string | null;
    drifted: boolean;
    missingShareReference: number;
    missingShareCurrent: number;
  }
>;
const datasets = JSON.parse(readFileSync(join(FIXTURES, "datasets.json"), "utf8")) as Record<
  string,
  Expected
>;

let session: DataSession;
let dir: string;
beforeAll(async () => {
  session = await DataSession.open();
  dir = await mkdtemp(join(tmpdir(), "keel-drift-"));
});
afterAll(async () => {
  session.close();
  await rm(dir, { recursive: true, force: true });
});

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

describe("computeDrift follows Evidently's default selection and matches SciPy", () => {
  for (const [name, expected] of Object.entries(datasets)) {
    it(`${name} reference (${name === "small" ? "<= 1000" : "> 1000"} rows)`, async () => {
      const ref = await session.relationFrom(join(FIXTURES, `${name}-reference.csv`));
      const cur = await session.relationFrom(join(FIXTURES, `${name}-current.csv`));
      const report = await computeDrift(session, ref, cur);
      expect(report.columns.map((c) => c.column)).toEqual(Object.keys(expected));
      for (const c of report.columns) {
        const e = expected[c.column]!;
        expect(c.method, c.column).toBe(e.method);
        expect(close(c.score ?? Number.NaN, e.score), `${c.column}: ${c.score} vs ${e.score}`).toBe(true);
        expect(c.drifted, c.column).toBe(e.drifted);
        expect(close(c.reference.missingShare, e.missingShareReference), c.column).toBe(true);
        expect(close(c.current.missingShare, e.missingShareCurrent), c.column).toBe(true);
      }
      const drifted = report.columns.filter((c) => c.drifted).length;
      expect(report.numberOfDriftedColumns).toBe(drifted);
      expect(report.datasetDrift).toBe(drifted / report.columns.length >= 0.5);
      expect(JSON.stringify(report)).not.toContain("NaN");
    });
  }

  it("reports unseen categories and missing shares", async () => {
    const ref = await session.relationFrom(join(FIXTURES, "small-reference.csv"));
    const cur = await session.relationFrom(join(FIXTURES, "small-current.csv"));
    const report = await computeDrift(session, ref, cur, { columns: ["cat_unseen", "num_shift"] });
    const unseen = report.columns.find((c) => c.column === "cat_unseen")!;
    expect(unseen.newCategories.map((n) => n.value)).toEqual(["z"]);
    expect(unseen.newCategoryCount).toBe(1);
    expect(unseen.statistic).toBe(Number.POSITIVE_INFINITY);
    expect(unseen.score).toBe(0);
    const shift = report.columns.find((c) => c.column === "num_shift")!;
    expect(shift.missingShareChange).toBeCloseTo(
      shift.current.missingShare - shift.reference.missingShare,
      12,
    );
  });
});

describe("computeDrift options and edge cases", () => {
  async function csv(file: string, text: string): Promise<string> {
    const path = join(dir, file);
    await writeFile(path, text);
    return session.relationFrom(path);
  }

  it("applies per-column methods and thresholds, and the drift share", async () => {
    const ref = await session.relationFrom(join(FIXTURES, "large-reference.csv"));
    const cur = await session.relationFrom(join(FIXTURES, "large-current.csv"));
    const report = await computeDrift(session, ref, cur, {
      methods: { num_same: "psi", cat_shift: "hellinger" },
      thresholds: { num_same: 0.5 },
      driftShare: 0.9,
    });
    const same = report.columns.find((c) => c.column === "num_same")!;
    expect([same.method, same.threshold, same.defaultMethod, same.drifted]).toEqual([
      "psi",
      0.5,
      false,
      false,
    ]);
    expect(report.columns.find((c) => c.column === "cat_shift")!.method).toBe("hellinger");
    expect(report.driftShare).toBe(0.9);
    expect(report.datasetDrift).toBe(report.shareOfDriftedColumns >= 0.9);
  });

  it("treats all-missing columns as untested, never NaN", async () => {
    const ref = await csv("nan-ref.csv", "a,b\n1,x\n2,y\n3,x\n");
    const cur = await csv("nan-cur.csv", "a,b\n,x\n,y\n,\n");
    const report = await computeDrift(session, ref, cur);
    const a = report.columns.find((c) => c.column === "a")!;
    expect([a.score, a.drifted, a.current.missingShare]).toEqual([null, false, 1]);
    expect(a.notes[0]).toMatch(/all missing/);
    expect(report.numberOfColumns).toBe(1);
    expect(JSON.stringify(report)).not.toContain("NaN");
  });

  it("names what is wrong with bad input", async () => {
    const ref = await csv("r.csv", "a,b\n1,x\n2,y\n");
    const cur = await csv("c.csv", "a,c\n1,x\n2,y\n");
    const other = await csv("o.csv", "q\n1\n");
    const empty = await csv("e.csv", "a,b\n");
    await expect(computeDrift(session, ref, other)).rejects.toThrow(/no column to compare/);
    await expect(computeDrift(session, ref, empty)).rejects.toThrow(/current data has no rows/);
    await expect(computeDrift(session, ref, cur, { columns: ["b"] })).rejects.toThrow(
      /not in the current data/,
    );
    await expect(computeDrift(session, ref, cur, { methods: { zz: "ks" } })).rejects.toThrow(
      /--method names column 'zz'/,
    );
    await expect(computeDrift(session, ref, cur, { methods: { a: "nope" } })).rejects.toThrow(
      /Unknown drift method 'nope'/,
    );
    const strings = await csv("s.csv", "a\nx\ny\n");
    await expect(computeDrift(session, strings, strings, { methods: { a: "ks" } })).rejects.toThrow(
      /cannot test column 'a'/,
    );
    await expect(computeDrift(session, ref, cur, { driftShare: 0 })).rejects.toThrow(/drift share/);
  });
});
