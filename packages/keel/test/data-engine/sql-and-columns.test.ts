import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeAtomically } from "../../src/data/engine/atomic-output.js";
import { prepareUserSql } from "../../src/data/engine/user-sql.js";
import { makeTempDir } from "../support/temp-dir.js";
import { FLIGHTS_ARROW, PENGUINS, WEATHER, withSession } from "./fixtures.js";

describe("queryDoubles", () => {
  it("returns one DOUBLE column in row order across chunks, nulls as NaN, and names the file on error", async () => {
    await withSession(async (s) => {
      const rel = await s.relationFrom(PENGUINS);
      const sql = `SELECT CAST("Body Mass (g)" AS DOUBLE) AS v FROM ${rel}`;
      const rows = await s.query(sql);
      const values = await s.queryDoubles(sql);
      expect(values).toBeInstanceOf(Float64Array);
      expect(Array.from(values, (v) => (Number.isNaN(v) ? null : v))).toEqual(rows.map((r) => r.v));
      expect(rows.some((r) => r.v === null)).toBe(true);
      // More rows than one DuckDB chunk (2,048).
      const many = await s.queryDoubles("SELECT CAST(range AS DOUBLE) FROM range(5000)");
      expect(many.length).toBe(5000);
      expect(many[4999]).toBe(4999);
      await expect(s.queryDoubles(`SELECT nope FROM ${rel}`)).rejects.toThrow(/nope/);
    });
  });
});

describe("queryColumns", () => {
  it("returns typed columns equal to the row results, nulls as NaN/null", async () => {
    await withSession(async (s) => {
      const rel = await s.relationFrom(PENGUINS);
      const sql = `SELECT "Beak Length (mm)" AS beak, Species AS species, "Body Mass (g)" AS mass, Sex = 'MALE' AS male FROM ${rel}`;
      const rows = await s.query(sql);
      const cols = await s.queryColumns(sql);
      expect(cols.rowCount).toBe(rows.length);
      expect(cols.columns.map((c) => [c.name, c.kind])).toEqual([
        ["beak", "numeric"],
        ["species", "string"],
        ["mass", "numeric"],
        ["male", "boolean"],
      ]);
      const [beak, species, mass, male] = cols.columns;
      expect(beak!.values).toBeInstanceOf(Float64Array);
      rows.forEach((r, i) => {
        expect(Number.isNaN(beak!.values[i]) ? null : beak!.values[i]).toBe(r.beak);
        expect(species!.values[i]).toBe(r.species);
        expect(Number.isNaN(mass!.values[i] as number) ? null : mass!.values[i]).toBe(r.mass);
        expect(Number.isNaN(male!.values[i] as number) ? null : male!.values[i] === 1).toBe(r.male);
      });
    });
  });

  it("reads datetimes as epoch milliseconds", async () => {
    await withSession(async (s) => {
      const rel = await s.relationFrom(WEATHER);
      const cols = await s.queryColumns(`SELECT date FROM ${rel} ORDER BY date LIMIT 2`);
      expect(cols.columns[0]!.kind).toBe("datetime");
      expect(Array.from(cols.columns[0]!.values as Float64Array)).toEqual([
        Date.UTC(2012, 0, 1),
        Date.UTC(2012, 0, 2),
      ]);
    });
  });
});

describe("user SQL", () => {
  it("reads Arrow files named after FROM/JOIN through registered views; other paths natively", async () => {
    await withSession(async (s) => {
      const arrow = FLIGHTS_ARROW.replaceAll("'", "''");
      const sql = await prepareUserSql(
        s,
        `SELECT count(*) AS n, sum(a.delay) AS d FROM '${arrow}' a JOIN '${arrow}' b ON a.delay = b.delay AND a.distance = b.distance WHERE a.delay > 1000 AND 'keep.arrow' <> ''`,
      );
      expect(sql).not.toContain(".arrow' a");
      expect(sql).toContain("'keep.arrow'");
      const [direct] = await s.query(
        `SELECT count(*) AS n FROM ${await s.relationFrom(FLIGHTS_ARROW)} WHERE delay > 1000`,
      );
      const [joined] = await s.query(sql);
      expect(Number(joined!.n)).toBeGreaterThanOrEqual(Number(direct!.n));
      const preview = await s.queryPreview(`SELECT * FROM '${WEATHER}' ORDER BY date`, 3);
      expect(preview.rows).toHaveLength(3);
      expect(preview.truncated).toBe(true);
      expect(preview.columns.map((c) => c.name)).toEqual([
        "date",
        "precipitation",
        "temp_max",
        "temp_min",
        "wind",
        "weather",
      ]);
      const all = await s.queryPreview(`SELECT 1 AS one`, 3);
      expect(all).toEqual({
        columns: [{ name: "one", type: "INTEGER" }],
        rows: [{ one: 1 }],
        truncated: false,
      });
    });
  });
});

describe("writeAtomically", () => {
  const t = makeTempDir("keel-atomic");
  afterAll(() => t.cleanup());

  it("leaves the previous file and no temp file behind when the write fails", async () => {
    const out = join(t.dir, "out.parquet");
    writeFileSync(out, "previous");
    await withSession(async (s) => {
      await expect(
        writeAtomically(out, (temp) => s.writeRelation("SELECT 1/0 AS x, error('boom') AS y", temp)),
      ).rejects.toThrow(/boom/);
    });
    expect(readdirSync(t.dir)).toEqual(["out.parquet"]);
    expect(existsSync(out)).toBe(true);
  });
});
