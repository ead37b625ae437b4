import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { recordFeedback } from "../../src/serve/prediction-log/feedback-log.js";
import { PredictionLogger } from "../../src/serve/prediction-log/prediction-logger.js";
import {
  readFeedbackLog,
  readPredictionLog,
  readPredictionsWithFeedback,
} from "../../src/serve/prediction-log/read-prediction-log.js";
import { makeTempDir } from "../support/temp-dir.js";
import { FLIGHTS, type FlightsFixture, flightsFixture, get, post, serve, v2Inputs } from "./helpers.js";

describe("prediction log: every prediction appended, rotated, compacted, readable with DuckDB", () => {
  let fx: FlightsFixture;
  const tmp = makeTempDir("serve-log");
  let session: DataSession;

  beforeAll(async () => {
    fx = await flightsFixture();
    session = await DataSession.open();
  });
  afterAll(async () => {
    session?.close();
    await fx?.project.close();
    tmp.cleanup();
  });

  it("logs every request (sampling 1) across segment rotations; the reader returns them all", async () => {
    const dir = join(tmp.dir, "log");
    const server = await serve(fx.modelDir, dir, { name: "flights", version: "1", segmentBytes: 4000 });
    const ids: string[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 12; i++) {
      const r = await post(`${server.url}/v2/models/flights/infer`, {
        id: `v2-${i}`,
        inputs: v2Inputs(FLIGHTS),
      });
      expect(r.status).toBe(200);
      ids.push(`v2-${i}`);
      const m = await post(`${server.url}/invocations`, { dataframe_records: FLIGHTS.slice(0, 1) });
      ids.push(m.headers.get("x-request-id")!);
      // Let the background flush run now and then, so several segments are written.
      if (i % 3 === 2) await server.predictionLog!.flush();
    }
    // Rejected requests are not predictions: nothing is logged for them.
    expect((await post(`${server.url}/invocations`, { dataframe_records: [{ month: 1 }] })).status).toBe(400);
    await server.close();
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith(".parquet")).length).toBeGreaterThan(1);
    expect(files.filter((f) => f.endsWith(".jsonl"))).toEqual([]);

    const log = await readPredictionLog(dir);
    const rows = await session.query(`SELECT * FROM (${log.sql}) ORDER BY "time", request_id, "row"`);
    expect(rows.length).toBe(12 * 3 + 12);
    expect(new Set(rows.map((r) => r.request_id))).toEqual(new Set(ids));
    const first = rows.find((r) => r.request_id === "v2-0" && r.row === 1)!;
    expect(first).toMatchObject({ endpoint: "flights", model: "flights", version: "1", shadow: false });
    expect(JSON.parse(first.inputs as string)).toEqual(FLIGHTS[1]);
    const outputs = JSON.parse(first.outputs as string) as { label: string; probabilities: number[] };
    expect(["0", "1"]).toContain(outputs.label);
    expect(outputs.probabilities[0]! + outputs.probabilities[1]!).toBeCloseTo(1, 5);
    expect(first.latency_ms as number).toBeGreaterThanOrEqual(0);
    // Time filters select by arrival time.
    const before = await readPredictionLog(dir, { until: t0 - 60_000 });
    expect((await session.query(`SELECT count(*) AS n FROM (${before.sql})`))[0]!.n).toBe(0);
    const since = await readPredictionLog(dir, { since: t0 - 60_000 });
    expect((await session.query(`SELECT count(*) AS n FROM (${since.sql})`))[0]!.n).toBe(48);
  });

  it("the reader also sees open JSONL segments, and an empty folder is an empty relation", async () => {
    const dir = join(tmp.dir, "open");
    const logger = new PredictionLogger({ dir });
    const server = await serve(fx.modelDir, dir, { name: "flights" });
    await post(`${server.url}/v2/models/flights/infer`, { id: "open-1", inputs: v2Inputs(FLIGHTS) });
    await server.predictionLog!.flush();
    const open = await readPredictionLog(dir);
    expect(open.files.every((f) => f.endsWith(".jsonl"))).toBe(true);
    expect((await session.query(`SELECT count(*) AS n FROM (${open.sql})`))[0]!.n).toBe(3);
    await server.close();
    await logger.close();
    const empty = await readPredictionLog(join(tmp.dir, "nothing-here"));
    expect(await session.query(empty.sql)).toEqual([]);
    expect(await session.query((await readFeedbackLog(join(tmp.dir, "nothing-here"))).sql)).toEqual([]);
  });

  it("feedback labels (HTTP and library) join the predictions by request id and row", async () => {
    const dir = join(tmp.dir, "feedback");
    const server = await serve(fx.modelDir, dir, { name: "flights" });
    const r = await post(`${server.url}/v2/models/flights/infer`, { id: "fb-1", inputs: v2Inputs(FLIGHTS) });
    expect(r.status).toBe(200);
    const fb = await post(`${server.url}/v2/models/flights/feedback`, {
      request_id: "fb-1",
      label: "1",
      row: 2,
    });
    expect(fb.status).toBe(200);
    expect(fb.body.recorded).toMatchObject({ request_id: "fb-1", row: 2, label: "1" });
    const bad = await post(`${server.url}/v2/models/flights/feedback`, {
      request_id: "fb-1",
      label: "maybe",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("not a class of model 'flights'; classes: 0, 1");
    expect((await post(`${server.url}/v2/models/flights/feedback`, { label: "1" })).status).toBe(400);
    expect(
      (await post(`${server.url}/v2/models/nope/feedback`, { request_id: "x", label: "1" })).status,
    ).toBe(404);
    await recordFeedback(dir, "fb-1", "0", { row: 0 });
    await recordFeedback(dir, "fb-1", "1", { row: 0, time: Date.now() + 1000 }); // a later correction wins
    await expect(recordFeedback(dir, "", "1")).rejects.toThrow(/request id/);
    await server.close();

    const joined = await readPredictionsWithFeedback(dir);
    const rows = await session.query(`SELECT request_id, "row", label FROM (${joined.sql}) ORDER BY "row"`);
    expect(rows.map((x) => [x.row, x.label === null ? null : JSON.parse(x.label as string)])).toEqual([
      [0, "1"],
      [1, null],
      [2, "1"],
    ]);
  });

  it("a log folder that cannot be written never fails a request; failures are counted", async () => {
    const blocker = join(tmp.dir, "a-file");
    writeFileSync(blocker, "not a folder");
    const server = await serve(fx.modelDir, join(blocker, "logs"), { name: "flights" });
    for (let i = 0; i < 5; i++) {
      const r = await post(`${server.url}/v2/models/flights/infer`, { inputs: v2Inputs(FLIGHTS) });
      expect(r.status).toBe(200);
    }
    await server.predictionLog!.flush();
    expect(server.predictionLog!.stats.errors).toBeGreaterThan(0);
    expect(server.predictionLog!.stats.written).toBe(0);
    const metrics = (await get(`${server.url}/metrics`)).body as string;
    expect(metrics).toMatch(/keel_serve_prediction_log_errors_total [1-9]/);
    expect(metrics).toMatch(/keel_serve_prediction_log_dropped_total [1-9]/);
    expect((await post(`${server.url}/v2/models/flights/infer`, { inputs: v2Inputs(FLIGHTS) })).status).toBe(
      200,
    );
    await server.close();
  });

  it("a full queue drops and counts instead of blocking; sampling skips requests", async () => {
    const dir = join(tmp.dir, "bounded");
    const logger = new PredictionLogger({ dir, maxQueuedRows: 5, flushIntervalMs: 60_000 });
    const prediction = {
      task: "regression" as const,
      nRows: 2,
      values: Float32Array.from([1, 2]),
    };
    const event = (i: number) => ({
      requestId: `q-${i}`,
      receivedAt: Date.now(),
      endpoint: "m",
      model: "m",
      version: "1",
      input: { nRows: 2, columns: { x: [1, 2] } },
      prediction,
      latencyMs: 1,
    });
    for (let i = 0; i < 10; i++) logger.log(event(i));
    expect(logger.stats).toMatchObject({ queuedRows: 4, dropped: 8 });
    await logger.close();
    expect(logger.stats.written).toBe(4);
    const sampled = new PredictionLogger({ dir: join(tmp.dir, "sampled"), sampleRate: 0 });
    sampled.log(event(0));
    expect(sampled.stats).toMatchObject({ sampledOut: 1, queuedRows: 0 });
    await sampled.close();
    const log = await readPredictionLog(dir);
    const rows = await session.query(
      `SELECT request_id, "row", outputs FROM (${log.sql}) ORDER BY request_id, "row"`,
    );
    expect(rows.map((r) => [r.request_id, r.row, JSON.parse(r.outputs as string).prediction])).toEqual([
      ["q-0", 0, 1],
      ["q-0", 1, 2],
      ["q-1", 0, 1],
      ["q-1", 1, 2],
    ]);
  });
});
