import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KeelModel, loadModel } from "../../../runtime/src/index.js";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { readPredictionLog } from "../../src/serve/prediction-log/read-prediction-log.js";
import { runKeelInProcess } from "../support/in-process-cli.js";
import { makeTempDir } from "../support/temp-dir.js";
import {
  FLIGHTS,
  type FlightRow,
  type FlightsFixture,
  flightsFixture,
  get,
  post,
  serve,
  v2Inputs,
} from "./helpers.js";

const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

function metric(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

/** Distinct rows, so each answer can be checked against its own request. */
const rows: FlightRow[] = Array.from({ length: 64 }, (_, i) => ({
  ...FLIGHTS[i % 3]!,
  hour: i % 24,
  distance: 100 + 37 * i,
}));

describe("micro-batching, graceful shutdown and the CLI", () => {
  let fx: FlightsFixture;
  let reference: KeelModel;
  const tmp = makeTempDir("serve-batching");

  beforeAll(async () => {
    fx = await flightsFixture();
    reference = await loadModel(fx.modelDir);
  });
  afterAll(async () => {
    await reference?.release();
    await fx?.project.close();
    tmp.cleanup();
  });

  it("merges concurrent single-row requests into fewer ONNX Runtime runs and splits the answers back", async () => {
    const server = await serve(fx.modelDir, false, {
      name: "flights",
      batching: { maxBatchSize: 64, maxWaitMs: 20 },
    });
    try {
      const answers = await Promise.all(
        rows.map((r, i) =>
          post(`${server.url}/v2/models/flights/infer`, { id: `b-${i}`, inputs: v2Inputs([r]) }),
        ),
      );
      const expected = await reference.predict(rows as unknown as Record<string, unknown>[]);
      if (expected.task === "regression") throw new Error("expected a classifier");
      answers.forEach((a, i) => {
        expect(a.status).toBe(200);
        expect(a.body.id).toBe(`b-${i}`);
        expect(a.body.outputs[0].data).toEqual([expected.labels[i]]);
        expect(a.body.outputs[1].data[1]).toBeCloseTo(expected.probabilities[2 * i + 1]!, 6);
      });
      const text = (await get(`${server.url}/metrics`)).body as string;
      const runs = metric(text, "keel_serve_batch_size_count");
      expect(metric(text, "keel_serve_batch_size_sum")).toBe(64);
      expect(metric(text, "keel_serve_batch_requests_sum")).toBe(64);
      // 64 concurrent requests, fewer runs: some runs merged several requests.
      expect(runs).toBeLessThan(64);
      expect(metric(text, 'keel_serve_batch_size_bucket{le="1",model="flights",version="1"}')).toBeLessThan(
        runs,
      );
    } finally {
      await server.close();
    }
  });

  it("graceful shutdown finishes a request in flight, flushes its log line, then refuses new connections", async () => {
    const dir = join(tmp.dir, "drain");
    const server = await serve(fx.modelDir, dir, { name: "flights" });
    const body = JSON.stringify({ id: "in-flight", inputs: v2Inputs(FLIGHTS) });
    const half = Math.floor(body.length / 2);
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(`${server.url}/v2/models/flights/infer`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      });
      req.on("response", (res) => {
        let text = "";
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on("error", reject);
      // Half the body now: the request is in flight when shutdown starts.
      req.write(body.slice(0, half));
      setTimeout(() => req.end(body.slice(half)), 300);
    });
    await new Promise((r) => setTimeout(r, 100));
    const closed = server.close();
    const done = await answer;
    await closed;
    expect(done.status).toBe(200);
    expect(JSON.parse(done.text).id).toBe("in-flight");
    await expect(fetch(`${server.url}/v2/health/live`)).rejects.toThrow();
    const session = await DataSession.open();
    try {
      const log = await readPredictionLog(dir);
      const ids = await session.query(`SELECT DISTINCT request_id FROM (${log.sql})`);
      expect(ids).toEqual([{ request_id: "in-flight" }]);
    } finally {
      session.close();
    }
  });

  it("keel serve --help and keel predict --help show examples", async () => {
    const serveHelp = await runKeelInProcess(["serve", "--help"]);
    expect(serveHelp.code).toBe(0);
    expect(serveHelp.stdout).toContain("Examples:");
    expect(serveHelp.stdout).toContain("keel serve models:/flights@champion");
    expect(serveHelp.stdout).toContain("--max-batch-size");
    const predictHelp = await runKeelInProcess(["predict", "--help"]);
    expect(predictHelp.code).toBe(0);
    expect(predictHelp.stdout).toContain("Examples:");
    expect(predictHelp.stdout).toContain("--input data/april.parquet");
  });

  it("keel serve --workers 2 (built CLI): shares a port, aggregates /metrics, exits 0 on SIGTERM", async () => {
    // Cluster workers run the compiled worker module: `npm test` builds first.
    expect(existsSync(CLI), `${CLI} is missing: run npm run build`).toBe(true);
    const logDir = join(tmp.dir, "cluster-log");
    const child = spawn(
      process.execPath,
      [
        CLI,
        "serve",
        fx.modelDir,
        "--port",
        "0",
        "--workers",
        "2",
        "--log-level",
        "warn",
        "--log-predictions",
        logDir,
      ],
      { cwd: fx.project.dir, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (d) => {
        stderr += d;
        const m = /on (http:\/\/\S+) with 2 workers/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      child.on("exit", (code) => reject(new Error(`keel serve exited ${code}: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    for (let i = 0; i < 20; i++) {
      expect((await post(`${url}/invocations`, { dataframe_records: FLIGHTS })).status).toBe(200);
    }
    const text = (await get(`${url}/metrics`)).body as string;
    const m =
      /keel_serve_requests_total\{route="\/invocations",model="[^"]+",version="1",status="200"\} (\d+)/.exec(
        text,
      );
    expect(Number(m?.[1])).toBe(20);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const segments = readdirSync(logDir).filter((f) => f.endsWith(".parquet"));
    expect(segments.length).toBeGreaterThanOrEqual(1);
    expect(new Set(segments.map((f) => f.split("-")[2])).size).toBe(segments.length);
  });
});
