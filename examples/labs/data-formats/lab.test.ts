import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../../packages/keel/test/support/temp-dir.js";
// @ts-expect-error: the lab is plain JavaScript run by learners with `npm run lab`
import { runLab } from "./lab.mjs";

describe("lab: data formats", () => {
  const t = makeTempDir("lab-formats");
  afterAll(() => t.cleanup());

  it("shows Parquet far smaller than CSV and JSONL, zstd smaller than snappy, on real flights", async () => {
    const r = await runLab({ dir: join(t.dir, "p"), rows: 200_000 });
    type Row = { file: string; bytes: number; readMs: number; rows?: number };
    const by = Object.fromEntries((r.results as Row[]).map((x) => [x.file, x]));
    for (const f of ["flights.jsonl", "flights-snappy.parquet", "flights-zstd.parquet", "flights.arrow"]) {
      expect(by[f]!.rows).toBe(200_000);
    }
    expect(by["flights-zstd.parquet"]!.bytes).toBeLessThan(by["flights-snappy.parquet"]!.bytes);
    expect(by["flights-snappy.parquet"]!.bytes * 3).toBeLessThan(by["flights.csv"]!.bytes);
    expect(by["flights.jsonl"]!.bytes).toBeGreaterThan(by["flights.csv"]!.bytes);
  });
});
