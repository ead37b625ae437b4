import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isKeelError, type KeelError } from "../../src/errors.js";
import { makeTempDir } from "../support/temp-dir.js";
import { PENGUINS, WEATHER, withSession } from "./fixtures.js";

async function failure(fn: () => Promise<unknown>): Promise<KeelError> {
  try {
    await fn();
  } catch (e) {
    if (isKeelError(e)) return e;
    throw e;
  }
  throw new Error("expected a KeelError");
}

describe("data engine errors name the file, the line or the column, and the fix", () => {
  const t = makeTempDir("keel-data-errors");
  afterAll(() => t.cleanup());
  const file = (name: string, text: string) => {
    const path = join(t.dir, name);
    writeFileSync(path, text);
    return path;
  };
  const rows = (n: number, make: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => make(i)).join("\n");

  it("a ragged row in a small CSV: line number from DuckDB's strict parser", async () => {
    // Header is line 1; data row i is line i + 2. Row 15 (line 17) has a missing field.
    const path = file(
      "ragged.csv",
      `id,val,name\n${rows(40, (i) => (i === 15 ? "15,3" : `${i},${i * 1.5},n${i}`))}\n`,
    );
    const e = await withSession((s) => failure(() => s.relationFrom(path)));
    expect(e.code).toBe("INVALID_PARAMETER_VALUE");
    expect(e.message).toMatch(
      new RegExp(`^${path.replaceAll("/", "\\/")}: line 17: Expected Number of Columns: 3 Found: 2`),
    );
  });

  it("an unterminated quote", async () => {
    const path = file("quote.csv", `a,b\n${rows(30, (i) => (i === 9 ? '9,"open' : `${i},x`))}\n`);
    const e = await withSession((s) => failure(() => s.relationFrom(path)));
    expect(e.message).toMatch(/quote\.csv: line 11: .*unterminated quote/i);
  });

  it("a bad value past the type sniffer's sample: the line, the column and the --schema fix", async () => {
    const path = file(
      "late.csv",
      `id,val\n${rows(30_000, (i) => (i === 25_000 ? "25000,abc" : `${i},${i}`))}\n`,
    );
    const e = await withSession(async (s) => {
      const rel = await s.relationFrom(path);
      return failure(() => s.query(`SELECT sum(val) FROM ${rel}`));
    });
    expect(e.message).toMatch(/late\.csv: line 25002: .*"val".*"abc".*--schema val=VARCHAR/);
    // ...and the suggested fix works.
    const n = await withSession(async (s) => {
      const rel = await s.relationFrom(path, { schema: { val: "VARCHAR" } });
      return (await s.query(`SELECT count(*) AS n FROM ${rel} WHERE val = 'abc'`))[0]?.n;
    });
    expect(n).toBe(1);
  });

  it("a missing file is RESOURCE_DOES_NOT_EXIST", async () => {
    const e = await withSession((s) => failure(() => s.relationFrom(join(t.dir, "nope.parquet"))));
    expect(e.code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect(e.message).toMatch(/nope\.parquet: no such file/);
  });

  it("an unknown extension lists the known ones", async () => {
    const path = file("table.xlsx", "x");
    const e = await withSession((s) => failure(() => s.relationFrom(path)));
    expect(e.code).toBe("INVALID_PARAMETER_VALUE");
    expect(e.message).toMatch(/table\.xlsx: cannot tell the data format.*\.parquet/);
  });

  it("unreadable files: a directory, a corrupt Parquet file, a corrupt Arrow file, an unreadable mode", async () => {
    await withSession(async (s) => {
      expect((await failure(() => s.relationFrom(t.dir, { format: "csv" }))).message).toMatch(
        /not a regular file/,
      );
      const parquet = file("broken.parquet", "this is not parquet");
      const p = await failure(() => s.relationFrom(parquet));
      expect(p.code).toBe("INVALID_PARAMETER_VALUE");
      expect(p.message).toMatch(/broken\.parquet: .*magic bytes/);
      const arrow = file("broken.arrow", "this is not arrow either");
      expect((await failure(() => s.relationFrom(arrow))).message).toMatch(
        /broken\.arrow: not a valid Arrow IPC file/,
      );
      const json = file("broken.json", '[{"a": 1}, {"a": ');
      expect((await failure(() => s.relationFrom(json))).message).toMatch(/broken\.json: .*JSON/);
    });
    if (process.getuid?.() !== 0) {
      // root reads any file, so the permission check only bites for other users.
      const locked = file("locked.csv", "a\n1\n");
      chmodSync(locked, 0o000);
      const e = await withSession((s) => failure(() => s.relationFrom(locked)));
      expect(e.code).toBe("INVALID_PARAMETER_VALUE");
      expect(e.message).toMatch(/locked\.csv: file is not readable/);
    }
  });

  it("--schema naming an unknown column, for CSV and for JSON", async () => {
    await withSession(async (s) => {
      const csv = await failure(() => s.relationFrom(WEATHER, { schema: { nope: "VARCHAR" } }));
      expect(csv.message).toMatch(/seattle-weather\.csv: --schema names column "nope"/);
      const json = await failure(() => s.relationFrom(PENGUINS, { schema: { nope: "VARCHAR" } }));
      expect(json.message).toMatch(/penguins\.json: --schema names column 'nope'.*Species/);
    });
  });

  it("a bad type in a schema is refused before any SQL runs; failures leave no views or tables", async () => {
    await withSession(async (s) => {
      const e = await failure(() =>
        s.relationFrom(WEATHER, { schema: { wind: "FLOAT); DROP TABLE x; --" } }),
      );
      expect(e.message).toMatch(/Invalid type 'FLOAT\); DROP TABLE x; --' for column 'wind'/);
      await failure(() => s.relationFrom(file("bad.arrow", "nope")));
      await failure(() => s.relationFrom(file("bad2.csv", "a,b\n1\n2,3,4\n")));
      await failure(() => s.relationFrom(PENGUINS, { schema: { nope: "INTEGER" } }));
      const [left] = await s.query(
        "SELECT (SELECT count(*) FROM duckdb_views() WHERE NOT internal) + (SELECT count(*) FROM duckdb_tables()) AS n",
      );
      expect(left?.n).toBe(0);
    });
  });

  it("an unknown column in a query names the file and suggests candidates", async () => {
    const e = await withSession(async (s) => {
      const rel = await s.relationFrom(WEATHER);
      return failure(() => s.query(`SELECT temp_maxx FROM ${rel}`));
    });
    expect(e.code).toBe("INVALID_PARAMETER_VALUE");
    expect(e.message).toMatch(/seattle-weather\.csv: unknown column 'temp_maxx'; did you mean .*temp_max/);
  });

  it("a syntax error is reported as such", async () => {
    const e = await withSession((s) => failure(() => s.query("SELEC 1")));
    expect(e.message).toMatch(/^SQL syntax error: /);
  });
});
