import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SplitReport } from "../../src/data/split/split-file.js";
import type { ValidationReport } from "../../src/data/validate/validation-report.js";
import { vegaDatasetPath } from "../../src/datasets/vega-datasets.js";
import { keelData } from "../support/in-process-cli.js";
import { makeTempDir } from "../support/temp-dir.js";
import { flightsSlice, SEATTLE, seattleRows } from "./fixtures.js";

const t = makeTempDir("keel-dq-cli");
afterAll(() => t.cleanup());

function expectations(name: string, ...lines: string[]): string {
  const path = join(t.dir, name);
  writeFileSync(path, `expectations:\n${lines.map((l) => `  - ${l}`).join("\n")}\n`);
  return path;
}

describe("keel data validate", () => {
  it("exits 0 and prints PASS rows when every expectation holds", async () => {
    const file = expectations(
      "good.yaml",
      "not_null: {column: weather}",
      "in_set: {column: weather, values: [drizzle, fog, rain, snow, sun]}",
      "between: {column: temp_max, min: -20, max: 45}",
    );
    const r = await keelData(["validate", SEATTLE, "--expectations", file]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("EXPECTATION");
    expect(r.stdout.match(/ PASS /g)).toHaveLength(3);
    expect(r.stdout).toContain("PASSED: all 3 expectations hold");
  });

  it("exits 1 and shows failing counts and examples when one fails", async () => {
    const file = expectations(
      "bad.yaml",
      "not_null: {column: weather}",
      "in_set: {column: weather, values: [drizzle, fog, rain, snow]}",
    );
    const r = await keelData(["validate", SEATTLE, "-e", file]);
    expect(r.code).toBe(1);
    const sunny = seattleRows().filter((x) => x.weather === "sun");
    const line = r.stdout.split("\n").find((l) => l.includes("in_set"))!;
    expect(line).toContain("FAIL");
    expect(line).toContain(`${sunny.length} (`);
    expect(line).toContain(`${sunny[0]!.row}: sun, ${sunny[1]!.row}: sun`);
    expect(r.stdout).toContain("FAILED: 1 of 2 expectations");
  });

  it("prints the report as JSON with --json (and still exits 1 on failure)", async () => {
    const file = expectations("json.yaml", "row_count_between: {max: 10}");
    const r = await keelData(["validate", SEATTLE, "-e", file, "--json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as ValidationReport;
    expect(report).toMatchObject({
      success: false,
      failed: 1,
      rowCount: 1461,
      data: SEATTLE,
      expectations: file,
    });
    expect(report.results[0]).toMatchObject({
      expectation: "row_count_between",
      observed: 1461,
      success: false,
    });
  });

  it("exits 2 with file, path, line and columns for an unknown column", async () => {
    const file = expectations(
      "typo.yaml",
      "column_exists: {column: weather}",
      "not_null: {column: weather}",
      "unique: {column: date}",
      "between: {column: tmp_max, min: -20, max: 45}",
    );
    const r = await keelData(["validate", SEATTLE, "-e", file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `error: ${file}: expectations[3].between (line 5): unknown column 'tmp_max' (columns: date, precipitation, temp_max, temp_min, wind, weather)\n`,
    );
  });

  it("exits 2 for a malformed expectations file, 4 for missing files", async () => {
    const bad = expectations("malformed.yaml", "between: {column: temp_max}");
    expect(await keelData(["validate", SEATTLE, "-e", bad])).toMatchObject({
      code: 2,
      stderr: `error: ${bad}: expectations[0].between (line 2): give min, max or both\n`,
    });
    const missing = await keelData(["validate", SEATTLE, "-e", join(t.dir, "none.yaml")]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain("keel data infer-expectations");
    const noData = await keelData([
      "validate",
      join(t.dir, "none.csv"),
      "-e",
      bad.replace("malformed", "json"),
    ]);
    expect(noData.code).toBe(4);
    expect(noData.stderr).toContain("none.csv: no such file");
  });

  it("applies --schema overrides before checking types", async () => {
    const file = expectations("schema.yaml", "column_type: {column: temp_max, type: string}");
    expect((await keelData(["validate", SEATTLE, "-e", file])).code).toBe(1);
    expect((await keelData(["validate", SEATTLE, "-e", file, "--schema", "temp_max=VARCHAR"])).code).toBe(0);
  });
});

describe("keel data infer-expectations", () => {
  let flights: string;
  beforeAll(async () => {
    flights = await flightsSlice(t.dir, 20_000);
  });

  it.each([
    ["seattle-weather.csv", () => SEATTLE],
    ["penguins.json (nulls)", () => vegaDatasetPath("penguins.json")],
    ["cars.json (dates, nulls)", () => vegaDatasetPath("cars.json")],
    ["a flights slice (parquet, timestamps)", () => flights],
  ])("drafts a file that %s then passes with exit 0", async (name, data) => {
    const out = join(t.dir, `${name.split(" ")[0]}.expectations.yaml`);
    const drafted = await keelData(["infer-expectations", data(), "--out", out]);
    expect(drafted.stderr).toBe("");
    expect(drafted.code).toBe(0);
    expect(drafted.stdout).toMatch(/^Wrote \d+ expectations for \d+ columns to /);
    const text = readFileSync(out, "utf8");
    expect(text).toMatch(/^# Expectations drafted by `keel data infer-expectations`/);
    const checked = await keelData(["validate", data(), "-e", out, "--json"]);
    const report = JSON.parse(checked.stdout) as ValidationReport;
    expect(report.results.filter((r) => !r.success)).toEqual([]);
    expect(checked.code).toBe(0);
  });

  it("drafts what the data shows: types, null shares, sets, ranges, uniqueness", async () => {
    const r = await keelData(["infer-expectations", vegaDatasetPath("penguins.json")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "  # Species: VARCHAR, no nulls, 3 distinct\n  - column_exists: {column: Species}",
    );
    expect(r.stdout).toContain("- in_set: {column: Species, values: [Adelie, Chinstrap, Gentoo]}");
    expect(r.stdout).toContain("- column_type: {column: Body Mass (g), type: integer}");
    expect(r.stdout).toContain("- between: {column: Body Mass (g), min: 2700, max: 6300}");
    // 10 of 344 Sex values are null: 97.1% non-null, drafted as 0.96.
    expect(r.stdout).toContain("- not_null: {column: Sex, mostly: 0.96}");
    expect(r.stdout).toContain("- row_count_between: {min: 309, max: 379}");
    const seattle = await keelData(["infer-expectations", SEATTLE]);
    expect(seattle.stdout).toContain("- unique: {column: date}");
    expect(seattle.stdout).toContain("- between: {column: date, min: 2012-01-01, max: 2015-12-31}");
    expect(seattle.stdout).not.toContain("unique: {column: temp_max}");
  });

  it("refuses to overwrite without --force", async () => {
    const out = join(t.dir, "exists.yaml");
    writeFileSync(out, "# mine\n");
    const r = await keelData(["infer-expectations", SEATTLE, "--out", out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `error: ${out} already exists; pass --force to overwrite it, or choose another --out\n`,
    );
    expect(readFileSync(out, "utf8")).toBe("# mine\n");
    expect((await keelData(["infer-expectations", SEATTLE, "--out", out, "--force"])).code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("expectations:");
  });
});

describe("keel data split", () => {
  it("writes the files and prints sizes and class balance", async () => {
    const out = join(t.dir, "splits");
    const args = [
      "split",
      SEATTLE,
      "--target",
      "weather",
      "--strategy",
      "stratified",
      "--test",
      "0.2",
      "--valid",
      "0.1",
    ];
    const r = await keelData([...args, "--seed", "4", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(["train", "valid", "test"].every((n) => existsSync(join(out, `${n}.parquet`)))).toBe(true);
    expect(r.stdout).toContain(`Split ${SEATTLE} (1,461 rows, stratified, seed 4) into ${out}`);
    expect(r.stdout).toMatch(/train\s+1023\s+70.0%/);
    expect(r.stdout).toContain("Balance of 'weather':");
    expect(r.stdout).toMatch(/CLASS\s+TRAIN\s+VALID\s+TEST/);
    expect(r.stdout).toMatch(/rain\s+449 \(43\.9%\)\s+64 \(43\.8%\)\s+128 \(43\.8%\)/);

    const json = await keelData([...args, "--seed", "4", "--out", join(t.dir, "splits-json"), "--json"]);
    const report = JSON.parse(json.stdout) as SplitReport;
    expect(report.parts.map((p) => p.rows)).toEqual([1023, 146, 292]);
    // Same seed, same bytes, whichever folder they went to.
    const again = readFileSync(join(out, "test.parquet"));
    expect(readFileSync(report.parts[2]!.path).equals(again)).toBe(true);
  });

  it("reports groups per split and a numeric target's mean and std", async () => {
    const r = await keelData([
      "split",
      SEATTLE,
      "--strategy",
      "group",
      "--by",
      "wind",
      "--target",
      "temp_max",
      "--out",
      join(t.dir, "g"),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SPLIT\s+ROWS\s+SHARE\s+GROUPS\s+FILE/);
    expect(r.stdout).toMatch(/SPLIT\s+COUNT\s+MEAN\s+STD/);
  });

  it("exits 2 with a clear message for bad flags", async () => {
    const out = join(t.dir, "never");
    const unknown = await keelData(["split", SEATTLE, "--target", "y", "--out", out]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown --target column 'y' (columns: date, precipitation");
    const sum = await keelData(["split", SEATTLE, "--test", "0.7", "--valid", "0.3", "--out", out]);
    expect(sum).toMatchObject({
      code: 2,
      stderr: "error: --test 0.7 and --valid 0.3 sum to 1: their sum must be < 1 to leave rows for train\n",
    });
    const noBy = await keelData(["split", SEATTLE, "--strategy", "time", "--out", out]);
    expect(noBy.stderr).toBe("error: --strategy time needs --by COLUMN: the time column to order by\n");
    const notNumber = await keelData(["split", SEATTLE, "--test", "a fifth", "--out", out]);
    expect(notNumber.code).not.toBe(0);
    expect(notNumber.stderr).toContain("--test must be a fraction such as 0.2, got 'a fifth'");
    const strategy = await keelData(["split", SEATTLE, "--strategy", "shuffle", "--out", out]);
    expect(strategy.code).not.toBe(0);
    expect(strategy.stderr).toContain("Allowed choices are random, stratified, time, group");
    expect(existsSync(out)).toBe(false);
  });

  it("shows examples in --help of each command", async () => {
    for (const cmd of ["validate", "infer-expectations", "split"]) {
      const r = await keelData([cmd, "--help"]);
      expect(r.stdout).toContain("Examples:");
      expect(r.stdout).toContain(`$ keel data ${cmd} `);
    }
  });
});
