import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { parseExpectations } from "../../src/data/validate/expectations-file.js";
import { validateRelation } from "../../src/data/validate/validate-relation.js";
import type { ExpectationResult, ValidationReport } from "../../src/data/validate/validation-report.js";
import { vegaDatasetPath } from "../../src/datasets/vega-datasets.js";
import { makeTempDir } from "../support/temp-dir.js";
import { flightsSlice, readRows, SEATTLE, seattleRows, type WeatherRow } from "./fixtures.js";

async function validate(path: string, yaml: string): Promise<ValidationReport> {
  const session = await DataSession.open();
  try {
    const relation = await session.relationFrom(path);
    return await validateRelation(session, relation, parseExpectations(yaml, "expectations.yaml"), path);
  } finally {
    session.close();
  }
}

function yaml(...lines: string[]): string {
  return `expectations:\n${lines.map((l) => `  - ${l}`).join("\n")}\n`;
}

/** The first five rows matching `pred`, as the report lists examples. */
function firstFailing(
  rows: WeatherRow[],
  pred: (r: WeatherRow) => boolean,
  value: (r: WeatherRow) => unknown,
) {
  return rows
    .filter(pred)
    .slice(0, 5)
    .map((r) => ({ row: r.row, value: value(r) }));
}

function only(report: ValidationReport): ExpectationResult {
  expect(report.results).toHaveLength(1);
  return report.results[0]!;
}

describe("validate: seattle-weather.csv", () => {
  const rows = seattleRows();

  it("passes expectations that hold, with observed values equal to a JS recomputation", async () => {
    const temps = rows.map((r) => r.temp_max).sort((a, b) => a - b);
    const mean = temps.reduce((s, t) => s + t, 0) / temps.length;
    const mid = temps.length / 2;
    const median = temps.length % 2 ? temps[Math.floor(mid)]! : (temps[mid - 1]! + temps[mid]!) / 2;
    const report = await validate(
      SEATTLE,
      yaml(
        "column_exists: {column: weather}",
        "column_type: {column: temp_max, type: float}",
        "column_type: {column: temp_max, type: number}",
        "column_type: {column: date, type: date}",
        "not_null: {column: weather}",
        "unique: {column: date}",
        "in_set: {column: weather, values: [drizzle, fog, rain, snow, sun]}",
        "between: {column: temp_max, min: -20, max: 45}",
        'between: {column: date, min: "2012-01-01", max: "2015-12-31"}',
        'regex: {column: weather, pattern: "^[a-z]+$"}',
        "row_count_between: {min: 1000, max: 5000000}",
        `mean_between: {column: temp_max, min: ${Math.floor(mean)}, max: ${Math.ceil(mean)}}`,
        `median_between: {column: temp_max, min: ${median}, max: ${median}}`,
      ),
    );
    expect(report.results.filter((r) => !r.success)).toEqual([]);
    expect(report.success).toBe(true);
    expect(report.rowCount).toBe(rows.length);
    const byKind = (k: string) => report.results.find((r) => r.expectation === k)!;
    expect(byKind("row_count_between").observed).toBe(rows.length);
    expect(byKind("mean_between").observed).toBeCloseTo(mean, 9);
    expect(byKind("median_between").observed).toBe(median);
    expect(byKind("between").observed).toEqual({ min: temps[0], max: temps.at(-1) });
    expect(byKind("column_type").observed).toBe("DOUBLE (float)");
  });

  it("fails column_type with the actual type", async () => {
    const r = only(await validate(SEATTLE, yaml("column_type: {column: temp_max, type: integer}")));
    expect(r.success).toBe(false);
    expect(r.observed).toBe("DOUBLE (float)");
  });

  it("fails in_set and lists the first five rows outside the set", async () => {
    const r = only(
      await validate(SEATTLE, yaml("in_set: {column: weather, values: [drizzle, fog, rain, snow]}")),
    );
    const sunny = rows.filter((x) => x.weather === "sun");
    expect(r.success).toBe(false);
    expect(r.unexpectedCount).toBe(sunny.length);
    expect(r.elementCount).toBe(rows.length);
    expect(r.unexpectedFraction).toBeCloseTo(sunny.length / rows.length, 12);
    expect(r.examples).toEqual(
      firstFailing(
        rows,
        (x) => x.weather === "sun",
        (x) => x.weather,
      ),
    );
  });

  it("fails between with failing counts and examples, and honours mostly", async () => {
    const hot = (x: WeatherRow) => x.temp_max > 30 || x.temp_max < -20;
    const r = only(await validate(SEATTLE, yaml("between: {column: temp_max, min: -20, max: 30}")));
    expect(r.success).toBe(false);
    expect(r.unexpectedCount).toBe(rows.filter(hot).length);
    expect(r.examples).toEqual(firstFailing(rows, hot, (x) => x.temp_max));
    // The same bound passes when a few percent of rows may break it.
    const share = 1 - rows.filter(hot).length / rows.length;
    const lenient = only(
      await validate(
        SEATTLE,
        yaml(`between: {column: temp_max, min: -20, max: 30, mostly: ${Math.floor(share * 100) / 100}}`),
      ),
    );
    expect(lenient.success).toBe(true);
    expect(lenient.unexpectedCount).toBe(r.unexpectedCount);
    expect(lenient.observed).toEqual(r.observed);
  });

  it("fails a date range with ISO bounds", async () => {
    const late = (x: WeatherRow) => x.date > "2015-06-30";
    const r = only(
      await validate(SEATTLE, yaml('between: {column: date, min: "2012-01-01", max: "2015-06-30"}')),
    );
    expect(r.success).toBe(false);
    expect(r.unexpectedCount).toBe(rows.filter(late).length);
    expect(r.examples!.map((e) => e.row)).toEqual(
      rows
        .filter(late)
        .slice(0, 5)
        .map((x) => x.row),
    );
    expect((r.examples![0]!.value as Date).toISOString().slice(0, 10)).toBe(rows.find(late)!.date);
  });

  it("fails regex, unique and the statistics", async () => {
    const report = await validate(
      SEATTLE,
      yaml(
        'regex: {column: weather, pattern: "^[a-z]{3,4}$"}',
        "unique: {column: weather}",
        "row_count_between: {min: 2000}",
        "mean_between: {column: temp_max, max: 10}",
        "median_between: {column: wind, min: 5, max: 10}",
      ),
    );
    const [regex, unique, count, mean, median] = report.results;
    const long = (x: WeatherRow) => !/^[a-z]{3,4}$/.test(x.weather);
    expect(regex!.success).toBe(false);
    expect(regex!.unexpectedCount).toBe(rows.filter(long).length);
    expect(regex!.examples).toEqual(firstFailing(rows, long, (x) => x.weather));
    // Every weather value repeats, so every row counts as failing unique (GE's convention).
    expect(unique!.success).toBe(false);
    expect(unique!.unexpectedCount).toBe(rows.length);
    expect(unique!.examples!.map((e) => e.row)).toEqual([1, 2, 3, 4, 5]);
    expect(count).toMatchObject({ success: false, observed: rows.length });
    expect(mean!.success).toBe(false);
    expect(median!.success).toBe(false);
    expect(report.failed).toBe(5);
    expect(report.success).toBe(false);
  });
});

describe("validate: nulls (penguins.json) and a flights slice (parquet)", () => {
  const t = makeTempDir("keel-validate");
  let flights: string;
  let flightRows: Record<string, unknown>[];
  beforeAll(async () => {
    flights = await flightsSlice(t.dir, 20_000);
    flightRows = await readRows(flights);
  });
  afterAll(() => t.cleanup());

  it("not_null counts nulls over all rows and passes once mostly tolerates them", async () => {
    const penguins = vegaDatasetPath("penguins.json");
    const parsed = JSON.parse(readFileSync(penguins, "utf8")) as { Sex: string | null }[];
    const raw = parsed.map((r, i) => ({ row: i + 1, sex: r.Sex ?? null }));
    const nulls = raw.filter((r) => r.sex === null);
    expect(nulls.length).toBeGreaterThan(0);
    const share = 1 - nulls.length / raw.length;
    const report = await validate(
      penguins,
      yaml(
        "not_null: {column: Sex}",
        `not_null: {column: Sex, mostly: ${Math.floor(share * 100) / 100}}`,
        `not_null: {column: Sex, mostly: ${Math.ceil(share * 100) / 100}}`,
      ),
    );
    const [strict, tolerant, tooStrict] = report.results;
    expect(strict).toMatchObject({ success: false, unexpectedCount: nulls.length, elementCount: raw.length });
    expect(strict!.observed).toBeCloseTo(share, 12);
    expect(strict!.examples).toEqual(nulls.slice(0, 5).map((r) => ({ row: r.row, value: null })));
    expect(tolerant!.success).toBe(true);
    expect(tooStrict!.success).toBe(false);
  });

  it("catches duplicates, pattern breaks and range breaks on real flights", async () => {
    const counts = new Map<string, number>();
    const key = (v: unknown) => (v as Date).toISOString();
    for (const r of flightRows) counts.set(key(r.date), (counts.get(key(r.date)) ?? 0) + 1);
    const dupRows = flightRows
      .map((r, i) => ({ row: i + 1, r }))
      .filter((x) => counts.get(key(x.r.date))! > 1);
    const notAtoL = flightRows
      .map((r, i) => ({ row: i + 1, r }))
      .filter((x) => !/^[A-L]/.test(String(x.r.origin)));
    const late = flightRows.map((r, i) => ({ row: i + 1, r })).filter((x) => Number(x.r.delay) > 60);
    const report = await validate(
      flights,
      yaml(
        "unique: {column: date}",
        'regex: {column: origin, pattern: "^[A-L]"}',
        "between: {column: delay, max: 60}",
        "column_type: {column: distance, type: integer}",
        'regex: {column: origin, pattern: "^[A-Z]{3}$"}',
      ),
    );
    const [unique, regex, between, type, codes] = report.results;
    expect(unique!.unexpectedCount).toBe(dupRows.length);
    expect(unique!.examples!.map((e) => e.row)).toEqual(dupRows.slice(0, 5).map((x) => x.row));
    expect(regex!.unexpectedCount).toBe(notAtoL.length);
    expect(regex!.examples).toEqual(notAtoL.slice(0, 5).map((x) => ({ row: x.row, value: x.r.origin })));
    expect(between!.unexpectedCount).toBe(late.length);
    expect(between!.examples).toEqual(late.slice(0, 5).map((x) => ({ row: x.row, value: x.r.delay })));
    expect(type).toMatchObject({ success: true, observed: "BIGINT (integer)" });
    expect(codes).toMatchObject({ success: true, unexpectedCount: 0 });
    expect(codes!.examples).toBeUndefined();
  });
});

describe("validate: row numbers on a large CSV read in parallel", () => {
  const t = makeTempDir("keel-validate-rows");
  afterAll(() => t.cleanup());

  it("reports the file row of each example", async () => {
    // 400,000 rows (~45 MB, more than one of DuckDB's CSV buffers, so it is read by several
    // threads) written by hand: `tag` is the row number on the rows that should fail, else "ok".
    const failing = [7, 65_536, 123_457, 300_001, 399_999];
    const pad = "x".repeat(100);
    const tags = new Set(failing);
    const lines = ["tag,x"];
    for (let row = 1; row <= 400_000; row++) lines.push(`${tags.has(row) ? row : "ok"},${pad}${row % 97}`);
    const path = join(t.dir, "rows.csv");
    writeFileSync(path, `${lines.join("\n")}\n`);
    const r = only(await validate(path, yaml("in_set: {column: tag, values: [ok]}")));
    expect(r.unexpectedCount).toBe(failing.length);
    expect(r.examples).toEqual(failing.map((row) => ({ row, value: String(row) })));
  });
});

describe("validate: values beyond 2^53", () => {
  const t = makeTempDir("keel-validate-big");
  afterAll(() => t.cleanup());

  it("reports them exactly, as decimal strings that JSON can carry", async () => {
    const path = join(t.dir, "ids.csv");
    writeFileSync(path, "id\n9007199254740993\n5\n9007199254740993\n");
    const report = await validate(path, yaml("unique: {column: id}", "between: {column: id, max: 10}"));
    expect(report.results[0]!.examples).toEqual([
      { row: 1, value: "9007199254740993" },
      { row: 3, value: "9007199254740993" },
    ]);
    expect(report.results[1]!.observed).toEqual({ min: 5, max: "9007199254740993" });
    expect(JSON.parse(JSON.stringify(report)).results[1].unexpectedCount).toBe(2);
  });
});

describe("validate: file and column errors", () => {
  it("names the file, the expectation, its line and the known columns for an unknown column", async () => {
    const text = yaml(
      "column_exists: {column: weather}",
      "not_null: {column: weather}",
      "unique: {column: date}",
      "between: {column: tmp_max, min: -20, max: 45}",
    );
    await expect(validate(SEATTLE, text)).rejects.toThrow(
      "expectations.yaml: expectations[3].between (line 5): unknown column 'tmp_max' (columns: date, precipitation, temp_max, temp_min, wind, weather)",
    );
  });

  it("reports a missing column as failures when the suite asserts column_exists for it", async () => {
    const report = await validate(
      SEATTLE,
      yaml(
        "column_exists: {column: humidity}",
        "between: {column: humidity, min: 0, max: 100}",
        "not_null: {column: date}",
      ),
    );
    expect(report.results.map((r) => r.success)).toEqual([false, false, true]);
    expect(report.results[0]!.observed).toBe("missing");
    expect(report.results[1]!.note).toBe("column 'humidity' is missing");
  });

  it("rejects bounds and values that do not fit the column, and bad patterns", async () => {
    await expect(validate(SEATTLE, yaml('between: {column: temp_max, min: "cold"}'))).rejects.toThrow(
      /expectations\[0\]\.between\.min \(line 2\): "cold" does not fit column 'temp_max' \(DOUBLE\); give a number/,
    );
    await expect(validate(SEATTLE, yaml("between: {column: date, min: yesterday}"))).rejects.toThrow(
      /expectations\[0\]\.between \(line 2\): .*yesterday/,
    );
    await expect(validate(SEATTLE, yaml('regex: {column: weather, pattern: "([a-z"}'))).rejects.toThrow(
      /expectations\[0\]\.regex \(line 2\): .*missing/,
    );
    await expect(validate(SEATTLE, yaml("mean_between: {column: weather, min: 0}"))).rejects.toThrow(
      "column 'weather' is VARCHAR; mean and median need a numeric column",
    );
  });
});
