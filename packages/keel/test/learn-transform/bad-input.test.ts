import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { isKeelError } from "../../src/errors.js";
import type { Table } from "../../src/learn/core/index.js";
import { LogisticRegression } from "../../src/learn/linear/index.js";
import { defaultPipeline, Pipeline, trainingSet } from "../../src/learn/pipeline/index.js";
import { inferColumnRoles, StandardScaler } from "../../src/learn/transform/index.js";

const dir = mkdtempSync(join(tmpdir(), "keel-bad-input-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` as a CSV file and reads it back through DuckDB, as `keel train` does. */
async function csv(name: string, text: string): Promise<Table> {
  const path = join(dir, name);
  writeFileSync(path, text);
  return DataSession.use(async (s) => s.queryColumns(`SELECT * FROM ${await s.relationFrom(path)}`));
}

function keelMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isKeelError(e) && e.code).toBe("INVALID_PARAMETER_VALUE");
    return (e as Error).message;
  }
  throw new Error("expected a KeelError");
}

function fitDefault(table: Table, target: string, overrides = {}): Pipeline {
  const set = trainingSet(table, target, "classification");
  const roles = inferColumnRoles(set.X, { overrides });
  return defaultPipeline(roles, new LogisticRegression(), { scale: true }).fit(set.X, set.y as Int32Array);
}

describe("bad input gets clear KeelErrors", () => {
  it("wrong target column lists the columns", async () => {
    const t = await csv("ok.csv", "a,b,label\n1,2,x\n3,4,y\n5,6,x\n");
    expect(keelMessage(() => trainingSet(t, "lable", "classification"))).toBe(
      "No column named 'lable'; available columns: a, b, label",
    );
  });

  it("single-class target", async () => {
    const t = await csv("one.csv", "a,label\n1,x\n2,x\n3,x\n");
    expect(keelMessage(() => trainingSet(t, "label", "classification"))).toMatch(
      /Target 'label' has a single class \('x'\): a classifier needs at least two classes/,
    );
  });

  it("all-missing column", async () => {
    const t = await csv("missing.csv", "a,empty,label\n1,,x\n2,,y\n3,,x\n");
    expect(keelMessage(() => fitDefault(t, "label"))).toMatch(
      /Column 'empty' has no values \(all 3 rows missing\)/,
    );
    // Marked "ignore", the same data trains.
    expect(fitDefault(t, "label", { empty: "ignore" }).isFitted).toBe(true);
  });

  it("string in a numeric column", async () => {
    const t = await csv("mixed.csv", "a,b,label\n1,2,x\n3,oops,y\n5,6,x\n7,8,y\n");
    const roles = inferColumnRoles(trainingSet(t, "label", "classification").X);
    expect(roles.warnings.join()).toMatch(/'b' holds numbers stored as text/);
    expect(keelMessage(() => fitDefault(t, "label", { b: "numeric" }))).toMatch(
      /Column 'b' is marked numeric but holds strings \(row 1 is 'oops'\)/,
    );
    const set = trainingSet(t, "label", "classification");
    const raw = new Pipeline({
      steps: [
        ["scale", new StandardScaler()],
        ["model", new LogisticRegression()],
      ],
    });
    expect(keelMessage(() => raw.fit(set.X, set.y as Int32Array))).toMatch(
      /StandardScaler needs numeric columns but 'b' holds strings/,
    );
  });

  it("empty data file", async () => {
    const t = await csv("empty.csv", "a,b,label\n");
    expect(t.rowCount).toBe(0);
    expect(keelMessage(() => trainingSet(t, "label", "classification"))).toMatch(/The data has no rows/);
    expect(keelMessage(() => inferColumnRoles(t))).toMatch(/The data has no rows/);
  });

  it("missing values reaching a model that cannot take them", async () => {
    const t = await csv("nan.csv", "a,label\n1,x\n,y\n3,x\n4,y\n");
    const set = trainingSet(t, "label", "classification");
    const noImpute = new Pipeline({ steps: [["model", new LogisticRegression()]] });
    expect(keelMessage(() => noImpute.fit(set.X, set.y as Int32Array))).toMatch(
      /LogisticRegression cannot handle missing or infinite values: column 'a' row 1 is NaN; add a SimpleImputer/,
    );
  });
});
