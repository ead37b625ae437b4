import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import type { SplitConfig } from "../../src/data/split/split-config.js";
import { type SplitReport, splitFile } from "../../src/data/split/split-file.js";
import { keyedSql, mix32, splitKey } from "../../src/data/split/split-key.js";
import { isKeelError } from "../../src/errors.js";
import { makeTempDir } from "../support/temp-dir.js";
import { flightsSlice, readRows, SEATTLE, seattleRows } from "./fixtures.js";

const t = makeTempDir("keel-split");
afterAll(() => t.cleanup());
let outDirs = 0;

async function split(
  input: string,
  config: Partial<SplitConfig>,
  out = join(t.dir, `out-${++outDirs}`),
): Promise<SplitReport> {
  const session = await DataSession.open();
  try {
    return await splitFile(session, input, out, {
      strategy: "random",
      test: 0.2,
      valid: 0,
      seed: 0,
      ...config,
    });
  } finally {
    session.close();
  }
}

async function parts(report: SplitReport): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const p of report.parts) out[p.name] = await readRows(p.path);
  return out;
}

async function splitError(input: string, config: Partial<SplitConfig>): Promise<string> {
  try {
    await split(input, config);
  } catch (e) {
    expect(isKeelError(e) && e.code).toBe("INVALID_PARAMETER_VALUE");
    return (e as Error).message;
  }
  throw new Error("expected the split to fail");
}

describe("split key", () => {
  it("computes the same keys in SQL as in JS, a permutation of row numbers", async () => {
    const session = await DataSession.open();
    try {
      const keyed = keyedSql("SELECT range + 1 AS r FROM range(5000)", "r", "k", 12345);
      const rows = await session.query(`SELECT r, k FROM (${keyed}) ORDER BY r`);
      expect(rows.map((r) => Number(r.k))).toEqual(rows.map((r) => splitKey(Number(r.r), 12345)));
      expect(new Set(rows.map((r) => r.k)).size).toBe(5000);
    } finally {
      session.close();
    }
    // mix32 agrees with lowbias32 written out in BigInt arithmetic.
    const M = 2n ** 32n;
    const lowbias32 = (v: bigint) => {
      let x = v;
      x = ((x ^ (x >> 16n)) * 0x7feb352dn) % M;
      x = ((x ^ (x >> 15n)) * 0x846ca68bn) % M;
      return Number(x ^ (x >> 16n));
    };
    for (const v of [0, 1, 2, 12345, 2 ** 31, 2 ** 32 - 1]) expect(mix32(v)).toBe(lowbias32(BigInt(v)));
  });
});

describe("split: seattle-weather.csv", () => {
  const rows = seattleRows();

  it("random: exact sizes, every row exactly once, byte-identical files for the same seed", async () => {
    const a = await split(SEATTLE, { target: "weather", test: 0.2, valid: 0.1, seed: 7 });
    const b = await split(SEATTLE, { target: "weather", test: 0.2, valid: 0.1, seed: 7 });
    const c = await split(SEATTLE, { target: "weather", test: 0.2, valid: 0.1, seed: 8 });
    expect(a.parts.map((p) => [p.name, p.rows])).toEqual([
      ["train", rows.length - Math.round(rows.length * 0.2) - Math.round(rows.length * 0.1)],
      ["valid", Math.round(rows.length * 0.1)],
      ["test", Math.round(rows.length * 0.2)],
    ]);
    for (const [i, p] of a.parts.entries()) {
      expect(readFileSync(p.path).equals(readFileSync(b.parts[i]!.path))).toBe(true);
      expect(p.sha256).toBe(b.parts[i]!.sha256);
    }
    expect(c.parts.map((p) => p.sha256)).not.toEqual(a.parts.map((p) => p.sha256));
    const got = await parts(a);
    const dates = Object.values(got).flatMap((part) =>
      part.map((r) => (r.date as Date).toISOString().slice(0, 10)),
    );
    expect(dates.sort()).toEqual(rows.map((r) => r.date).sort());
    // Rows keep file order inside each split.
    const testDates = got.test!.map((r) => (r.date as Date).getTime());
    expect(testDates).toEqual([...testDates].sort((x, y) => x - y));
    // The seeded order is the documented one: the lowest keys are test.
    const byKey = rows.map((r) => ({ date: r.date, key: splitKey(r.row, 7) })).sort((x, y) => x.key - y.key);
    const expectedTest = byKey
      .slice(0, a.parts[2]!.rows)
      .map((r) => r.date)
      .sort();
    expect(got.test!.map((r) => (r.date as Date).toISOString().slice(0, 10)).sort()).toEqual(expectedTest);
  });

  it("random: reports class balance that matches the files", async () => {
    const report = await split(SEATTLE, { target: "weather", test: 0.25 });
    const got = await parts(report);
    for (const part of report.parts) {
      expect(part.balance?.kind).toBe("classes");
      if (part.balance?.kind !== "classes") continue;
      for (const c of part.balance.classes) {
        const count = got[part.name]!.filter((r) => r.weather === c.value).length;
        expect(c.count).toBe(count);
        expect(c.share).toBeCloseTo(count / part.rows, 12);
      }
    }
  });

  it("stratified: each class's share in each split is within one row of exact", async () => {
    const report = await split(SEATTLE, {
      strategy: "stratified",
      target: "weather",
      test: 0.2,
      valid: 0.15,
      seed: 3,
    });
    const got = await parts(report);
    const classes = [...new Set(rows.map((r) => r.weather))];
    for (const cls of classes) {
      const total = rows.filter((r) => r.weather === cls).length;
      for (const [name, share] of [
        ["test", 0.2],
        ["valid", 0.15],
      ] as const) {
        const n = got[name]!.filter((r) => r.weather === cls).length;
        expect(Math.abs(n - total * share)).toBeLessThan(1);
      }
      const inAll = Object.values(got).reduce(
        (s, part) => s + part.filter((r) => r.weather === cls).length,
        0,
      );
      expect(inAll).toBe(total);
    }
  });

  it("time: every train date is before every valid date, every valid date before every test date", async () => {
    const report = await split(SEATTLE, {
      strategy: "time",
      by: "date",
      target: "temp_max",
      test: 0.2,
      valid: 0.1,
    });
    const got = await parts(report);
    const times = (name: string) => got[name]!.map((r) => (r.date as Date).getTime());
    expect(Math.max(...times("train"))).toBeLessThanOrEqual(Math.min(...times("valid")));
    expect(Math.max(...times("valid"))).toBeLessThanOrEqual(Math.min(...times("test")));
    expect(report.parts.map((p) => p.rows)).toEqual([1023, 146, 292]);
    // A numeric target reports mean and std, equal to a JS recomputation.
    const test = got.test!.map((r) => Number(r.temp_max));
    const mean = test.reduce((s, x) => s + x, 0) / test.length;
    const balance = report.parts[2]!.balance;
    expect(balance?.kind).toBe("numeric");
    if (balance?.kind === "numeric") expect(balance.mean).toBeCloseTo(mean, 9);
  });

  it("writes atomically into the folder and drops a stale valid.parquet", async () => {
    const out = join(t.dir, "atomic");
    await split(SEATTLE, { valid: 0.1 }, out);
    expect(readdirSync(out).sort()).toEqual(["test.parquet", "train.parquet", "valid.parquet"]);
    const again = await split(SEATTLE, {}, out);
    expect(again.removedStaleValid).toBe(true);
    expect(readdirSync(out).sort()).toEqual(["test.parquet", "train.parquet"]);
  });
});

describe("split: flights slice", () => {
  let flights: string;
  beforeAll(async () => {
    flights = await flightsSlice(t.dir, 30_000);
  });

  it("group: every origin airport lands in exactly one split; sizes are reported", async () => {
    const report = await split(flights, {
      strategy: "group",
      by: "origin",
      target: "delay",
      test: 0.2,
      valid: 0.1,
      seed: 5,
    });
    const got = await parts(report);
    const origins = Object.fromEntries(
      Object.entries(got).map(([name, part]) => [name, new Set(part.map((r) => r.origin))]),
    );
    const names = Object.keys(origins);
    expect(names).toEqual(["train", "valid", "test"]);
    for (const a of names) {
      for (const b of names) {
        if (a < b) expect([...origins[a]!].filter((o) => origins[b]!.has(o))).toEqual([]);
      }
      expect(report.parts.find((p) => p.name === a)!.groups).toBe(origins[a]!.size);
    }
    expect(report.parts.reduce((s, p) => s + p.rows, 0)).toBe(30_000);
    expect(report.parts[2]!.share).toBeGreaterThan(0.05);
    expect(report.parts[2]!.share).toBeLessThan(0.4);
    // Same seed, same assignment.
    const again = await split(flights, { strategy: "group", by: "origin", test: 0.2, valid: 0.1, seed: 5 });
    expect(again.parts.map((p) => p.sha256)).toEqual(report.parts.map((p) => p.sha256));
  });

  it("stratified on a 0/1 target: integer classes with their shares", async () => {
    const session = await DataSession.open();
    const labelled = join(t.dir, "labelled.parquet");
    try {
      const rel = await session.relationFrom(flights);
      await session.writeRelation(`SELECT *, CAST(delay > 15 AS INTEGER) AS late FROM ${rel}`, labelled);
    } finally {
      session.close();
    }
    const report = await split(labelled, { strategy: "stratified", target: "late", test: 0.3 });
    const all = await readRows(labelled);
    const lateShare = all.filter((r) => r.late === 1).length / all.length;
    for (const part of report.parts) {
      expect(part.balance?.kind).toBe("classes");
      if (part.balance?.kind !== "classes") continue;
      const late = part.balance.classes.find((c) => c.value === 1)!;
      expect(Math.abs(late.share - lateShare)).toBeLessThan(1 / part.rows + 1e-12);
    }
  });
});

describe("split errors", () => {
  it("names unknown columns and lists the real ones", async () => {
    expect(await splitError(SEATTLE, { target: "wether" })).toBe(
      `${SEATTLE}: unknown --target column 'wether' (columns: date, precipitation, temp_max, temp_min, wind, weather)`,
    );
    expect(await splitError(SEATTLE, { strategy: "time", by: "day" })).toMatch(/unknown --by column 'day'/);
  });

  it("rejects fractions out of range or leaving nothing for train", async () => {
    expect(await splitError(SEATTLE, { test: 0 })).toMatch(/Invalid --test 0: /);
    expect(await splitError(SEATTLE, { test: 1.2 })).toMatch(/Invalid --test 1.2: /);
    expect(await splitError(SEATTLE, { valid: -0.1 })).toMatch(/Invalid --valid -0.1: /);
    expect(await splitError(SEATTLE, { test: 0.6, valid: 0.4 })).toBe(
      "--test 0.6 and --valid 0.4 sum to 1: their sum must be < 1 to leave rows for train",
    );
    expect(await splitError(SEATTLE, { seed: -1 })).toMatch(/Invalid --seed -1/);
  });

  it("needs --by for time and group, and refuses it elsewhere", async () => {
    expect(await splitError(SEATTLE, { strategy: "time" })).toBe(
      "--strategy time needs --by COLUMN: the time column to order by",
    );
    expect(await splitError(SEATTLE, { strategy: "group" })).toMatch(/^--strategy group needs --by COLUMN/);
    expect(await splitError(SEATTLE, { by: "date" })).toMatch(
      /--by is used only by --strategy time or group/,
    );
    expect(await splitError(SEATTLE, { strategy: "stratified" })).toMatch(
      /--strategy stratified needs --target/,
    );
  });

  it("explains a class too small to stratify", async () => {
    const path = join(t.dir, "rare.csv");
    writeFileSync(
      path,
      `x,y\n${Array.from({ length: 40 }, (_, i) => `${i},${i < 2 ? "rare" : "common"}`).join("\n")}\n`,
    );
    expect(await splitError(path, { strategy: "stratified", target: "y", test: 0.25, valid: 0.25 })).toBe(
      "Cannot stratify on 'y': class 'rare' (2 rows) is too small to put a row in each of train, valid and test. " +
        "Merge or drop rare classes, lower --test/--valid, or use --strategy random",
    );
    // Without a valid split two rows are enough: one for train, one for test.
    const ok = await split(path, { strategy: "stratified", target: "y", test: 0.25 });
    expect(ok.parts.map((p) => p.rows)).toEqual([29, 11]);
  });

  it("explains a group split that leaves a split empty", async () => {
    const path = join(t.dir, "two-groups.csv");
    writeFileSync(
      path,
      `g,v\n${Array.from({ length: 30 }, (_, i) => `${i < 29 ? "a" : "b"},${i}`).join("\n")}\n`,
    );
    expect(await splitError(path, { strategy: "group", by: "g", test: 0.2, valid: 0.1 })).toMatch(
      /the group split put no rows in (train|valid|test): the values of 'g' form too few or too uneven groups/,
    );
  });
});
