/** Shared setup of the serving tests: real models trained with the library, real servers on 127.0.0.1. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { numericColumn, stringColumn, tableOf } from "../../src/learn/core/table.js";
import { LogisticRegression } from "../../src/learn/linear/index.js";
import { saveModelPackage } from "../../src/learn/model-package/index.js";
import { Pipeline } from "../../src/learn/pipeline/pipeline.js";
import { trainModel } from "../../src/learn/train/train-model.js";
import { ColumnTransformer } from "../../src/learn/transform/column-transformer.js";
import { OneHotEncoder } from "../../src/learn/transform/one-hot-encoder.js";
import { SimpleImputer } from "../../src/learn/transform/simple-imputer.js";
import { StandardScaler } from "../../src/learn/transform/standard-scaler.js";
import type { ModelServerOptions } from "../../src/serve/serve-config.js";
import { type RunningModelServer, startModelServer } from "../../src/serve/start-model-server.js";
import { flightsSlice, makeProject, type Project } from "../learn-train/helpers.js";

/** A project with a gbdt flights model registered as `flights` version 1. */
export interface FlightsFixture {
  /** The project (tracker, temp dir). */
  readonly project: Project;
  /** Folder of the model package. */
  readonly modelDir: string;
  /** A held-out flights file with the `delayed` column. */
  readonly testFile: string;
}

/** Trains a small gbdt on 5,000 flights and registers it; about a second on 2 cores. */
export async function flightsFixture(): Promise<FlightsFixture> {
  const project = await makeProject();
  const train = await flightsSlice(join(project.dir, "flights-train.parquet"), 0, 5000);
  const testFile = await flightsSlice(join(project.dir, "flights-test.parquet"), 1_000_000, 1_002_000);
  const r = await trainModel(
    { data: train, target: "delayed", model: "gbdt", params: { maxIter: 15 }, register: "flights" },
    { tracker: project.tracker, cwd: project.dir },
  );
  const run = await project.tracker.store.getRun(r.runId);
  return { project, modelDir: join(fileURLToPath(run.info.artifactUri), "model"), testFile };
}

/** One flights row as a V2 request's inputs. */
export function v2Inputs(rows: readonly FlightRow[]): object[] {
  const col = (name: keyof FlightRow, datatype: string) => ({
    name,
    shape: [rows.length],
    datatype,
    data: rows.map((r) => r[name]),
  });
  return [
    col("month", "INT32"),
    col("day_of_week", "INT32"),
    col("hour", "INT32"),
    col("distance", "FP32"),
    col("origin", "BYTES"),
    col("destination", "BYTES"),
  ];
}

/** A flights row. */
export interface FlightRow {
  month: number;
  day_of_week: number;
  hour: number;
  distance: number;
  origin: string;
  destination: string;
}

/** A few valid flights rows. */
export const FLIGHTS: readonly FlightRow[] = [
  { month: 1, day_of_week: 0, hour: 8, distance: 500, origin: "SFO", destination: "LAX" },
  { month: 2, day_of_week: 4, hour: 18, distance: 1200, origin: "ORD", destination: "JFK" },
  { month: 3, day_of_week: 6, hour: 22, distance: 300, origin: "ATL", destination: "MCO" },
];

/**
 * A strict toy package: `x` numeric without an imputer (not nullable), `color` one-hot with
 * unknown categories rejected, `y` numeric imputed (nullable).
 */
export async function strictToyPackage(dir: string): Promise<string> {
  const n = 60;
  const colors = ["red", "green", "blue"];
  const table = tableOf([
    numericColumn(
      "x",
      Array.from({ length: n }, (_, i) => (i % 10) - 4.5),
    ),
    numericColumn(
      "y",
      Array.from({ length: n }, (_, i) => (i % 7 === 0 ? Number.NaN : i / 10)),
    ),
    stringColumn(
      "color",
      Array.from({ length: n }, (_, i) => colors[i % 3]!),
    ),
  ]);
  const labels = Int32Array.from({ length: n }, (_, i) => ((i % 10) + (i % 3 === 0 ? 3 : 0) > 6 ? 1 : 0));
  const pipe = new Pipeline({
    steps: [
      [
        "prep",
        new ColumnTransformer({
          transformers: [
            ["x", new StandardScaler(), ["x"]],
            ["y", new SimpleImputer(), ["y"]],
            ["color", new OneHotEncoder({ handleUnknown: "error" }), ["color"]],
          ],
        }),
      ],
      ["model", new LogisticRegression()],
    ],
  });
  pipe.fit(table, labels, { classes: ["no", "yes"] });
  const out = join(dir, "toy");
  await saveModelPackage(out, pipe, { name: "toy", inputs: table });
  return out;
}

/** Starts a server on a free port, silent, logging predictions to `logDir` (or not at all). */
export function serve(
  modelDir: string,
  logDir: string | false,
  options: Partial<ModelServerOptions> = {},
): Promise<RunningModelServer> {
  return startModelServer({ modelDir, port: 0, logLevel: "silent", predictionLogDir: logDir, ...options });
}

/** POSTs JSON (or a raw string with `contentType`) and returns status, headers and parsed body. */
export async function post(
  url: string,
  body: unknown,
  contentType = "application/json",
  // biome-ignore lint/suspicious/noExplicitAny: tests read answer bodies field by field
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // plain text answer
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** GETs a URL and returns status and parsed body. */
// biome-ignore lint/suspicious/noExplicitAny: tests read answer bodies field by field
export async function get(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // plain text answer
  }
  return { status: res.status, body: parsed };
}
