import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSession } from "../../src/data/engine/duckdb-session.js";
import { sqlIdent } from "../../src/data/engine/sql-text.js";
import {
  type ColumnProfile,
  PROFILE_QUANTILES,
  summarizeProfile,
} from "../../src/data/profile/dataset-profile.js";
import { datetimeUnit, profileTable } from "../../src/data/profile/profile-table.js";
import { makeTempDir } from "../support/temp-dir.js";
import { flightsSlice, PENGUINS, WEATHER, withSession } from "./fixtures.js";

/** Checks one column's profile against DuckDB aggregates queried independently, one per statistic. */
async function expectMatchesDuckDB(session: DataSession, rel: string, c: ColumnProfile): Promise<void> {
  const col = sqlIdent(c.name);
  const one = async (expr: string) => (await session.query(`SELECT ${expr} AS v FROM ${rel}`))[0]?.v;
  expect(c.count, `${c.name} count`).toBe(await one(`count(${col})`));
  expect(c.missing, `${c.name} missing`).toBe(await one(`count(*) - count(${col})`));
  expect(c.distinct, `${c.name} distinct`).toBe(await one(`count(DISTINCT ${col})`));
  if (c.kind === "numeric") {
    expect(c.min).toBe(Number(await one(`min(${col})`)));
    expect(c.max).toBe(Number(await one(`max(${col})`)));
    expect(c.mean).toBeCloseTo(Number(await one(`avg(${col})`)), 9);
    expect(c.std).toBeCloseTo(Number(await one(`stddev_samp(${col})`)), 9);
    expect(c.skewness).toBeCloseTo(Number(await one(`skewness(${col})`)), 9);
    for (const q of PROFILE_QUANTILES) {
      const key = `p${Math.round(q * 100)}` as keyof NonNullable<ColumnProfile["quantiles"]>;
      expect(c.quantiles?.[key], `${c.name} ${key}`).toBeCloseTo(
        Number(await one(`quantile_cont(${col}, ${q})`)),
        9,
      );
    }
    // Histogram: recompute the 20 equal-width bins in JS from the raw values.
    const values = (await session.queryColumns(`SELECT ${col} FROM ${rel}`)).columns[0]!
      .values as Float64Array;
    const min = c.min as number;
    const width = ((c.max as number) - min) / 20;
    const expected = new Array<number>(width === 0 ? 1 : 20).fill(0);
    for (const x of values) {
      if (Number.isNaN(x)) continue;
      expected[width === 0 ? 0 : Math.min(Math.floor((x - min) / width), 19)]! += 1;
    }
    expect(
      c.histogram?.bins.map((b) => b.count),
      `${c.name} histogram`,
    ).toEqual(expected);
  }
  if (c.kind === "string") {
    const top = await session.query(
      `SELECT ${col} AS value, count(*) AS count FROM ${rel} WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`,
    );
    expect(c.topCategories).toEqual(top);
    expect(c.min).toBe(await one(`min(${col})`));
    expect(c.max).toBe(await one(`max(${col})`));
  }
}

describe("profileTable", () => {
  const t = makeTempDir("keel-profile");
  let flights = "";
  beforeAll(async () => {
    flights = await flightsSlice(t.dir, 200_000);
  });
  afterAll(() => t.cleanup());

  it.each([
    ["seattle-weather.csv", () => WEATHER],
    ["penguins.json", () => PENGUINS],
    ["flights-3m.parquet (200k slice)", () => flights],
  ])("%s: every statistic equals DuckDB's own aggregate", async (_label, path) => {
    await withSession(async (session) => {
      const rel = await session.relationFrom(path());
      const profile = await profileTable(session, rel);
      const [{ n } = { n: 0 }] = await session.query(`SELECT count(*) AS n FROM ${rel}`);
      expect(profile.rowCount).toBe(n);
      expect(profile.columns.map((c) => [c.name, c.type])).toEqual(
        (await session.describe(rel)).map((c) => [c.name, c.type]),
      );
      for (const c of profile.columns) await expectMatchesDuckDB(session, rel, c);
      expect(profile.warnings).toEqual(profile.columns.flatMap((c) => c.warnings));
    });
  });

  it("seattle-weather: values checkable by hand from the CSV text", async () => {
    const lines = readFileSync(WEATHER, "utf8").trim().split("\n").slice(1);
    const fields = lines.map((l) => l.split(","));
    const counts = new Map<string, number>();
    for (const f of fields) counts.set(f[5]!, (counts.get(f[5]!) ?? 0) + 1);
    const precipitation = fields.map((f) => Number(f[1]));

    const profile = await withSession(async (s) => profileTable(s, await s.relationFrom(WEATHER)));
    expect(profile.rowCount).toBe(lines.length);
    const byName = Object.fromEntries(profile.columns.map((c) => [c.name, c]));
    const weather = byName.weather!;
    expect(weather.distinct).toBe(counts.size);
    expect(weather.topCategories).toEqual(
      [...counts]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)),
    );
    const precip = byName.precipitation!;
    expect(precip.max).toBe(Math.max(...precipitation));
    expect(precip.mean).toBeCloseTo(precipitation.reduce((a, b) => a + b, 0) / precipitation.length, 12);
    expect(precip.warnings.map((w) => w.kind)).toContain("skewed");

    // One row per day: the date column is bucketed by month, each bin holding that month's days.
    const date = byName.date!;
    expect(date.kind).toBe("datetime");
    expect(date.min).toBe(fields[0]![0]);
    expect(date.max).toBe(fields.at(-1)![0]);
    expect(date.distinct).toBe(lines.length);
    expect(date.histogram?.unit).toBe("month");
    expect(date.histogram?.bins).toHaveLength(48);
    for (const bin of date.histogram!.bins) {
      const d = new Date(bin.start);
      const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      expect(bin.count).toBe(daysInMonth);
    }
  });

  it("raises constant, high-cardinality, skew, missing and all-missing warnings", async () => {
    const sql = `SELECT 'same' AS constant, 'id-' || i AS id, CASE WHEN i % 10 < 3 THEN NULL ELSE i END AS gappy,
                        exp(i / 100.0) AS skewed, CAST(NULL AS INTEGER) AS empty, (i % 7) AS fine
                 FROM range(1000) t(i)`;
    const profile = await withSession((s) => profileTable(s, sql));
    const kinds = (name: string) => profile.columns.find((c) => c.name === name)!.warnings.map((w) => w.kind);
    expect(kinds("constant")).toEqual(["constant"]);
    expect(kinds("id")).toEqual(["high_cardinality"]);
    expect(kinds("gappy")).toEqual(["high_missing"]);
    expect(kinds("skewed")).toEqual(["skewed"]);
    expect(kinds("empty")).toEqual(["all_missing"]);
    expect(kinds("fine")).toEqual([]);
    expect(profile.columns.find((c) => c.name === "gappy")!.missingShare).toBe(0.3);
  });

  it("profiles a reproducible sample", async () => {
    await withSession(async (s) => {
      const rel = await s.relationFrom(WEATHER);
      const a = await profileTable(s, rel, { sample: 500, seed: 7 });
      const b = await profileTable(s, rel, { sample: 500, seed: 7 });
      expect(a.rowCount).toBe(500);
      expect(a.sample).toEqual({ rows: 500, totalRows: 1461, seed: 7 });
      expect({ ...a, durationMs: 0 }).toEqual({ ...b, durationMs: 0 });
      const whole = await profileTable(s, rel, { sample: 5000 });
      expect(whole.sample).toBeNull();
      expect(whole.rowCount).toBe(1461);
      await expect(profileTable(s, rel, { sample: 0 })).rejects.toThrow(/sample size/);
    });
  });

  it("reports progress through every pass and summarises for versioning", async () => {
    const steps: string[] = [];
    const profile = await withSession(async (s) =>
      profileTable(s, await s.relationFrom(PENGUINS), {
        onProgress: (done, total, step) => steps.push(`${done}/${total} ${step}`),
      }),
    );
    expect(steps.at(0)).toBe("0/5 counting rows");
    expect(steps.at(-1)).toBe("5/5 done");
    const summary = summarizeProfile(profile);
    expect(summary.rowCount).toBe(profile.rowCount);
    expect(summary.columns[2]).toEqual({
      name: "Beak Length (mm)",
      type: profile.columns[2]!.type,
      kind: "numeric",
      missing: profile.columns[2]!.missing,
      distinct: profile.columns[2]!.distinct,
      min: profile.columns[2]!.min,
      max: profile.columns[2]!.max,
      mean: profile.columns[2]!.mean,
      std: profile.columns[2]!.std,
    });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it("chooses datetime bins of at most 60 calendar units", () => {
    expect(datetimeUnit(30 * 60_000)).toBe("minute");
    expect(datetimeUnit(2 * 86_400_000)).toBe("hour");
    expect(datetimeUnit(40 * 86_400_000)).toBe("day");
    expect(datetimeUnit(181 * 86_400_000)).toBe("week");
    expect(datetimeUnit(4 * 365 * 86_400_000)).toBe("month");
    expect(datetimeUnit(100 * 365 * 86_400_000)).toBe("year");
  });
});
