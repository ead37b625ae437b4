import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../../../runtime/src/index.js";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { sqlString } from "../../src/data/engine/sql-text.js";
import { batchPredict } from "../../src/serve/batch/batch-predict.js";
import { runKeelInProcess } from "../support/in-process-cli.js";
import { makeTempDir } from "../support/temp-dir.js";
import { type FlightsFixture, flightsFixture, strictToyPackage } from "./helpers.js";

describe("keel predict: streamed batch prediction", () => {
  let fx: FlightsFixture;
  let session: DataSession;
  const tmp = makeTempDir("serve-predict");

  beforeAll(async () => {
    fx = await flightsFixture();
    session = await DataSession.open();
  });
  afterAll(async () => {
    session?.close();
    await fx?.project.close();
    tmp.cleanup();
  });

  it("output = input columns + label + proba_<class>, equal to @keel/runtime row for row", async () => {
    const out = join(tmp.dir, "preds.parquet");
    // 700-row batches: runs that do not line up with DuckDB's 2048-row chunks.
    const r = await batchPredict({ modelDir: fx.modelDir, input: fx.testFile, output: out, batchSize: 700 });
    expect(r.rows).toBe(2000);
    expect(r.columns).toEqual([
      "month",
      "day_of_week",
      "hour",
      "distance",
      "origin",
      "destination",
      "delayed",
      "label",
      "proba_0",
      "proba_1",
    ]);
    const got = await session.query(`SELECT * FROM read_parquet(${sqlString(out)})`);
    const input = await session.query(`SELECT * FROM read_parquet(${sqlString(fx.testFile)})`);
    const model = await loadModel(fx.modelDir);
    const expected = await model.predict(input);
    await model.release();
    if (expected.task === "regression") throw new Error("expected a classifier");
    expect(got.length).toBe(2000);
    got.forEach((row, i) => {
      expect(row.distance).toBe(input[i]!.distance);
      expect(row.origin).toBe(input[i]!.origin);
      expect(row.label).toBe(expected.labels[i]);
      expect(row.proba_0).toBeCloseTo(expected.probabilities[2 * i]!, 6);
      expect(row.proba_1).toBeCloseTo(expected.probabilities[2 * i + 1]!, 6);
    });
    const kept = await batchPredict({
      modelDir: fx.modelDir,
      input: fx.testFile,
      output: join(tmp.dir, "kept.csv"),
      keep: ["delayed"],
    });
    expect(kept.columns).toEqual(["delayed", "label", "proba_0", "proba_1"]);
    const csv = await session.query(`SELECT * FROM read_csv(${sqlString(join(tmp.dir, "kept.csv"))})`);
    expect(csv.map((c) => String(c.label))).toEqual(expected.labels.map(String));
  });

  it("NULL numbers are predicted as missing values, as @keel/runtime does with null", async () => {
    const withNulls = join(tmp.dir, "nulls.parquet");
    await session.run(
      `COPY (SELECT * REPLACE (CASE WHEN rid % 3 = 0 THEN NULL ELSE distance END AS distance)
         FROM (SELECT *, row_number() OVER () AS rid FROM read_parquet(${sqlString(fx.testFile)})) LIMIT 300)
       TO ${sqlString(withNulls)}`,
    );
    const out = join(tmp.dir, "nulls-preds.parquet");
    const r = await batchPredict({ modelDir: fx.modelDir, input: withNulls, output: out, keep: ["rid"] });
    expect(r.rows).toBe(300);
    const got = await session.query(`SELECT * FROM read_parquet(${sqlString(out)}) ORDER BY rid`);
    const input = await session.query(`SELECT * FROM read_parquet(${sqlString(withNulls)}) ORDER BY rid`);
    expect(input.filter((row) => row.distance === null)).toHaveLength(100);
    const model = await loadModel(fx.modelDir);
    const expected = await model.predict(input);
    await model.release();
    if (expected.task === "regression") throw new Error("expected a classifier");
    got.forEach((row, i) => {
      expect(row.proba_1).toBeCloseTo(expected.probabilities[2 * i + 1]!, 6);
    });
  });

  it("clear errors and no output file on failure: missing file, missing column, bad values mid-file", async () => {
    const dir = join(tmp.dir, "fail");
    const out = join(dir, "out.parquet");
    await expect(
      batchPredict({ modelDir: fx.modelDir, input: join(dir, "nope.parquet"), output: out }),
    ).rejects.toThrow(/nope\.parquet: no such file/);
    const partial = join(tmp.dir, "partial.parquet");
    await session.run(
      `COPY (SELECT * EXCLUDE (origin) FROM read_parquet(${sqlString(fx.testFile)})) TO ${sqlString(partial)}`,
    );
    await expect(batchPredict({ modelDir: fx.modelDir, input: partial, output: out })).rejects.toThrow(
      /does not match the model's signature: column 'origin' \(string\) is missing/,
    );
    await expect(
      batchPredict({ modelDir: fx.modelDir, input: fx.testFile, output: out, keep: ["nope"] }),
    ).rejects.toThrow(/--keep names column\(s\) nope/);

    // A strict model and a file whose row 1500 has an unknown category: fails in the third batch.
    const toy = await strictToyPackage(tmp.dir);
    const rows = join(tmp.dir, "toy.csv");
    const lines = [
      "x,y,color",
      ...Array.from({ length: 2000 }, (_, i) => `${i % 7},${i % 5},${i === 1500 ? "purple" : "red"}`),
    ];
    writeFileSync(rows, `${lines.join("\n")}\n`);
    await expect(batchPredict({ modelDir: toy, input: rows, output: out, batchSize: 600 })).rejects.toThrow(
      /rows 1200\.\.1799 .*unknown category "purple".*row: 300/s,
    );
    expect(readdirSync(tmp.dir).filter((f) => f.includes("keel-tmp"))).toEqual([]);
    expect(() => readdirSync(dir)).toThrow();
  });

  it("keel predict MODEL_REF --json through the registry", async () => {
    const out = join(tmp.dir, "cli.parquet");
    const r = await runKeelInProcess([
      ...["predict", "models:/flights/1", "--input", fx.testFile, "--output", out],
      ...["--tracking-uri", fx.project.trackingUri, "--json"],
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 2000, output: out });
    const missing = await runKeelInProcess([
      ...["predict", "models:/flights/9", "--input", fx.testFile, "--output", out],
      ...["--tracking-uri", fx.project.trackingUri],
    ]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/error: .*flights/);
  });
});
