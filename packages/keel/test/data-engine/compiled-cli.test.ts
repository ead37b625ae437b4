import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { keel } from "../cli/run-cli.js";
import { makeTempDir } from "../support/temp-dir.js";
import { FLIGHTS_ARROW, WEATHER } from "./fixtures.js";

// Through the built `keel` binary (run `npx tsc -b packages/keel` first): the real process,
// the real exit codes.
describe("keel data convert/profile/sql through the compiled CLI", () => {
  const t = makeTempDir("keel-data-compiled");
  afterAll(() => t.cleanup());

  it("converts, profiles and queries; bad input exits 2 or 4 with one error line", () => {
    const parquet = join(t.dir, "flights.parquet");
    const convert = keel(t.dir, ["data", "convert", FLIGHTS_ARROW, parquet, "--json"]);
    expect(convert.code, convert.stderr).toBe(0);
    expect(JSON.parse(convert.stdout).rows).toBe(200_000);

    const profile = keel(t.dir, ["data", "profile", parquet, "--html", "p.html", "--json"]);
    expect(profile.code, profile.stderr).toBe(0);
    expect(JSON.parse(profile.stdout).columnCount).toBe(3);
    expect(readFileSync(join(t.dir, "p.html"), "utf8").match(/<svg class="chart"/g)).toHaveLength(3);

    const sql = keel(t.dir, ["data", "sql", "SELECT count(*) AS n FROM 'flights.parquet'", "--json"]);
    expect(JSON.parse(sql.stdout)).toEqual([{ n: 200_000 }]);

    const bad = keel(t.dir, ["data", "convert", WEATHER, "x.parquet", "--schema", "nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    const missing = keel(t.dir, ["data", "profile", "missing.csv"]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/^error: missing\.csv: no such file/);
  });
});
