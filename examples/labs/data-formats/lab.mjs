// Lab: optimal data formats. See README.md beside this file.
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { vegaDatasetPath } from "keel";
import { keel, keelJson } from "../lab-kit.mjs";

const TARGETS = [
  ["flights.jsonl", []],
  ["flights-snappy.parquet", ["--compression", "snappy"]],
  ["flights-zstd.parquet", ["--compression", "zstd"]],
  ["flights.arrow", []],
];

/** Run the lab in `dir`; returns what a test (or a curious learner) checks. */
export async function runLab({ dir, log = () => {}, rows = Number(process.env.ROWS ?? 1_000_000) }) {
  const root = resolve(dir);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const source = vegaDatasetPath("flights-3m.parquet");
  const csv = join(root, "flights.csv");
  const made = keel(root, ["data", "sql", `SELECT * FROM '${source}' LIMIT ${rows}`, "--out", csv]);
  if (made.code !== 0) throw new Error(made.stderr);

  const results = [];
  for (const [file, flags] of TARGETS) {
    const r = keelJson(root, ["data", "convert", csv, join(root, file), ...flags]);
    const [input, output] = r.comparison;
    if (results.length === 0) results.push({ file: "flights.csv", bytes: input.bytes, readMs: input.readMs });
    results.push({ file, bytes: output.bytes, readMs: output.readMs, rows: r.rows });
  }
  const csvRow = results[0];
  log(`${rows.toLocaleString("en-US")} flights:`);
  log("file                     size MiB   x CSV   full read ms   x CSV");
  for (const r of results) {
    log(
      `${r.file.padEnd(24)} ${(r.bytes / 2 ** 20).toFixed(1).padStart(8)} ${(r.bytes / csvRow.bytes).toFixed(2).padStart(7)}` +
        ` ${r.readMs.toFixed(0).padStart(14)} ${(r.readMs / csvRow.readMs).toFixed(2).padStart(7)}`,
    );
  }
  return { rows, results, lookAt: `ls -la ${root}` };
}
