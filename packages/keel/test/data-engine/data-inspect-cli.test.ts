import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ConvertResult } from "../../src/data/formats/convert-file.js";
import type { DatasetProfile } from "../../src/data/profile/dataset-profile.js";
import { makeTempDir } from "../support/temp-dir.js";
import { FLIGHTS_ARROW, keelData, WEATHER } from "./fixtures.js";

describe("keel data convert | profile | sql", () => {
  const t = makeTempDir("keel-data-cli");
  afterAll(() => t.cleanup());

  it("convert prints the size and read-time comparison", async () => {
    const out = join(t.dir, "weather.parquet");
    const r = await keelData(["convert", WEATHER, out, "--compression", "snappy"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Wrote .*weather\.parquet \(parquet\): 1461 rows, 6 columns/);
    expect(r.stdout).toMatch(/FILE\s+FORMAT\s+SIZE\s+READ\s+ROWS/);
    expect(r.stdout).toMatch(/parquet vs csv: [\d.]+x the size, [\d.]+x the full-read time/);
    expect(readdirSync(t.dir).filter((f) => f.includes("keel-tmp"))).toEqual([]);
  });

  it("convert --json reports both files' sizes and rows", async () => {
    const out = join(t.dir, "flights.csv");
    const r = await keelData(["convert", FLIGHTS_ARROW, out, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as ConvertResult;
    expect(result.rows).toBe(200_000);
    expect(result.comparison.map((c) => [c.format, c.rows, c.bytes])).toEqual([
      ["arrow", 200_000, statSync(FLIGHTS_ARROW).size],
      ["csv", 200_000, statSync(out).size],
    ]);
    expect(result.columns.map((c) => c.name)).toEqual(["delay", "distance", "time"]);
  });

  it("convert --schema overrides inferred types; bad input exits with precise errors", async () => {
    const out = join(t.dir, "typed.arrow");
    const ok = await keelData([
      "convert",
      WEATHER,
      out,
      "--schema",
      "weather=VARCHAR,wind=FLOAT",
      "--no-compare",
      "--json",
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as ConvertResult).columns.find((c) => c.name === "wind")!.type).toBe(
      "FLOAT",
    );

    const bad = await keelData(["convert", WEATHER, out, "--schema", "wind"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: Invalid --schema entry 'wind': expected col=TYPE/);
    const unknown = await keelData(["convert", WEATHER, out, "--schema", "gust=DOUBLE"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--schema names column "gust"/);
    const missing = await keelData(["convert", join(t.dir, "nope.csv"), out]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/nope\.csv: no such file/);
    const ext = await keelData(["convert", WEATHER, join(t.dir, "x.xls")]);
    expect(ext.code).toBe(2);
    expect(ext.stderr).toMatch(/x\.xls: cannot tell the data format/);
    const codec = await keelData(["convert", WEATHER, out, "--compression", "lz4"]);
    expect(codec.code).toBe(2);
    expect(codec.stderr).toMatch(/Invalid --compression 'lz4': use one of zstd, snappy, gzip, uncompressed/);
    const same = await keelData(["convert", WEATHER, WEATHER]);
    expect(same.code).toBe(2);
  });

  it("profile prints a table and warnings, writes --html, and --json is the DatasetProfile", async () => {
    const html = join(t.dir, "reports", "weather.html");
    const r = await keelData(["profile", WEATHER, "--html", html]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1461 rows, 6 columns/);
    expect(r.stdout).toMatch(/COLUMN\s+TYPE\s+MISSING\s+DISTINCT/);
    expect(r.stdout).toMatch(/precipitation.*skewed/);
    expect(readFileSync(html, "utf8").match(/<svg class="chart"/g)).toHaveLength(6);

    const j = await keelData(["profile", WEATHER, "--json", "--sample", "100", "--seed", "3"]);
    expect(j.code, j.stderr).toBe(0);
    const profile = JSON.parse(j.stdout) as DatasetProfile & { source: { path: string; format: string } };
    expect(profile.source).toMatchObject({ path: WEATHER, format: "csv" });
    expect(profile.rowCount).toBe(100);
    expect(profile.sample).toEqual({ rows: 100, totalRows: 1461, seed: 3 });
    expect(profile.columns).toHaveLength(6);
  });

  it("sql previews rows, writes --out atomically in the extension's format, and reads .arrow paths", async () => {
    const preview = await keelData([
      "sql",
      `SELECT weather, count(*) AS n FROM '${WEATHER}' GROUP BY 1 ORDER BY 2 DESC`,
      "--max-rows",
      "2",
    ]);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout.split("\n")[0]).toMatch(/^weather\s+n$/);
    expect(preview.stdout).toMatch(/rain\s+641/);
    expect(preview.stdout).toMatch(/first 2 rows/);

    const out = join(t.dir, "delayed.parquet");
    const w = await keelData([
      "sql",
      `SELECT * FROM '${FLIGHTS_ARROW}' WHERE delay > 60`,
      "--out",
      out,
      "--json",
    ]);
    expect(w.code, w.stderr).toBe(0);
    const written = JSON.parse(w.stdout) as { rows: number; format: string };
    expect(written.format).toBe("parquet");
    const check = await keelData(["sql", `SELECT count(*) AS n, min(delay) AS m FROM '${out}'`, "--json"]);
    expect(JSON.parse(check.stdout)).toEqual([{ n: written.rows, m: 61 }]);

    const bad = await keelData(["sql", `SELECT nope FROM '${WEATHER}'`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown column 'nope'/);
    const gone = await keelData(["sql", `SELECT * FROM '${join(t.dir, "gone.parquet")}'`]);
    expect(gone.code).toBe(4);
    expect(existsSync(join(t.dir, "gone.parquet"))).toBe(false);
  });

  it("every command has --help with examples", async () => {
    for (const cmd of ["convert", "profile", "sql"]) {
      const r = await keelData([cmd, "--help"]);
      expect(r.stdout).toMatch(new RegExp(`Usage: keel data ${cmd}`));
      expect(r.stdout).toMatch(/Examples:\n {2}\$ keel data /);
    }
  });
});
