import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExpectations, parseExpectations } from "../../src/data/validate/expectations-file.js";
import { isKeelError } from "../../src/errors.js";
import { makeTempDir } from "../support/temp-dir.js";

function parseError(text: string): string {
  try {
    parseExpectations(text, "checks.yaml");
  } catch (e) {
    expect(isKeelError(e) && e.code).toBe("INVALID_PARAMETER_VALUE");
    return (e as Error).message;
  }
  throw new Error("expected a parse error");
}

describe("expectations file", () => {
  it("parses every kind, fills in mostly and records positions", () => {
    const suite = parseExpectations(
      [
        "# checks for the flights table",
        "expectations:",
        "  - column_exists: {column: delay}",
        "  - column_type: {column: distance, type: integer}",
        "  - not_null: {column: origin, mostly: 0.99}",
        "  - unique: {column: id}",
        "  - in_set: {column: weather, values: [drizzle, fog, rain, snow, sun]}",
        "  - between: {column: temp_max, min: -20, max: 45, mostly: 1.0}",
        '  - regex: {column: origin, pattern: "^[A-Z]{3}$"}',
        "  - row_count_between: {min: 1000, max: 5000000}",
        "  - mean_between: {column: delay, min: 0, max: 30}",
        "  - median_between:",
        "      column: delay",
        "      min: -5",
        "      max: 10",
      ].join("\n"),
      "checks.yaml",
    );
    expect(suite.expectations.map((e) => e.kind)).toEqual([
      "column_exists",
      "column_type",
      "not_null",
      "unique",
      "in_set",
      "between",
      "regex",
      "row_count_between",
      "mean_between",
      "median_between",
    ]);
    expect(suite.expectations[3]).toMatchObject({ index: 3, line: 6, args: { column: "id", mostly: 1 } });
    expect(suite.expectations[2]!.args).toEqual({ column: "origin", mostly: 0.99 });
    expect(suite.expectations[9]).toMatchObject({ line: 12, args: { column: "delay", min: -5, max: 10 } });
  });

  it("names file, path and line for each kind of mistake", () => {
    const list = (...items: string[]) => `expectations:\n${items.map((i) => `  - ${i}`).join("\n")}\n`;
    expect(parseError(list("not_null: {column: a}", "betwen: {column: b, min: 1}"))).toBe(
      "checks.yaml: expectations[1] (line 3): unknown expectation 'betwen'; use one of column_exists, column_type, not_null, unique, in_set, between, regex, row_count_between, mean_between, median_between",
    );
    expect(parseError(list("between: {column: b, min: [1]}"))).toMatch(
      /^checks\.yaml: expectations\[0\]\.between\.min \(line 2\): /,
    );
    expect(parseError(list("between: {column: b}"))).toBe(
      "checks.yaml: expectations[0].between (line 2): give min, max or both",
    );
    expect(parseError(list("between: {column: b, min: 5, max: 1}"))).toBe(
      "checks.yaml: expectations[0].between (line 2): min must be <= max",
    );
    expect(parseError(list("not_null: {column: a, mostly: 1.5}"))).toMatch(
      /^checks\.yaml: expectations\[0\]\.not_null\.mostly \(line 2\): .*1/,
    );
    expect(parseError(list("unique: {column: a, colum: b}"))).toMatch(
      /^checks\.yaml: expectations\[0\]\.unique \(line 2\): .*'colum'/,
    );
    expect(parseError(list("column_type: {column: a, type: int}"))).toMatch(
      /^checks\.yaml: expectations\[0\]\.column_type\.type \(line 2\): .*integer/,
    );
    expect(parseError(list("in_set: {column: a, values: []}"))).toBe(
      "checks.yaml: expectations[0].in_set.values (line 2): list at least one value",
    );
    expect(parseError(list("{not_null: {column: a}, unique: {column: a}}"))).toMatch(
      /^checks\.yaml: expectations\[0\] \(line 2\): expected one expectation as a one-key map/,
    );
    expect(parseError("checks:\n  - not_null: {column: a}\n")).toMatch(
      /^checks\.yaml: .*`expectations:` list/,
    );
    expect(parseError("expectations: []\n")).toMatch(
      /^checks\.yaml: expectations \(line 1\): expected a non-empty list/,
    );
    expect(parseError("expectations:\n  - between: {column: a, min: [1\n")).toMatch(
      /^checks\.yaml: invalid YAML: .*line/,
    );
  });

  it("reads files and says how to create a missing one", async () => {
    const t = makeTempDir("keel-expectations");
    try {
      const path = join(t.dir, "e.yaml");
      writeFileSync(path, "expectations:\n  - not_null: {column: a}\n");
      expect((await loadExpectations(path)).expectations).toHaveLength(1);
      await expect(loadExpectations(join(t.dir, "nope.yaml"))).rejects.toThrow(
        /no such expectations file; draft one with/,
      );
    } finally {
      t.cleanup();
    }
  });
});
