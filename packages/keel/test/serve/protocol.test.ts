import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KeelModel, loadModel } from "../../../runtime/src/index.js";
import type { RunningModelServer } from "../../src/serve/start-model-server.js";
import { makeTempDir } from "../support/temp-dir.js";
import {
  FLIGHTS,
  type FlightsFixture,
  flightsFixture,
  get,
  post,
  serve,
  strictToyPackage,
  v2Inputs,
} from "./helpers.js";

describe("keel serve: Open Inference Protocol and MLflow scoring over real HTTP", () => {
  let fx: FlightsFixture;
  let server: RunningModelServer;
  let toy: RunningModelServer;
  let reference: KeelModel;
  const tmp = makeTempDir("serve-protocol");

  beforeAll(async () => {
    fx = await flightsFixture();
    server = await serve(fx.modelDir, false, { name: "flights", version: "1", bodyLimit: 64 * 1024 });
    toy = await serve(await strictToyPackage(tmp.dir), false);
    reference = await loadModel(fx.modelDir);
  });
  afterAll(async () => {
    await server?.close();
    await toy?.close();
    await reference?.release();
    await fx?.project.close();
    tmp.cleanup();
  });

  const infer = (body: unknown, path = "/v2/models/flights/infer") => post(`${server.url}${path}`, body);
  const goodRequest = async () => {
    const r = await infer({ inputs: v2Inputs(FLIGHTS.slice(0, 1)) });
    expect(r.status).toBe(200);
    return r;
  };

  it("health, server metadata, model metadata and readiness", async () => {
    expect(await get(`${server.url}/v2/health/live`)).toEqual({ status: 200, body: { live: true } });
    expect(await get(`${server.url}/v2/health/ready`)).toEqual({ status: 200, body: { ready: true } });
    const meta = await get(`${server.url}/v2`);
    expect(meta.body).toMatchObject({ name: "keel", extensions: expect.arrayContaining(["keel_feedback"]) });
    expect(typeof meta.body.version).toBe("string");

    const model = await get(`${server.url}/v2/models/flights`);
    expect(model.status).toBe(200);
    expect(model.body).toMatchObject({ name: "flights", versions: ["1"], platform: "onnx_onnxv1" });
    expect(
      model.body.inputs.map((i: { name: string; datatype: string; shape: number[] }) => [
        i.name,
        i.datatype,
        i.shape,
      ]),
    ).toEqual([
      ["month", "FP32", [-1]],
      ["day_of_week", "FP32", [-1]],
      ["hour", "FP32", [-1]],
      ["distance", "FP32", [-1]],
      ["origin", "BYTES", [-1]],
      ["destination", "BYTES", [-1]],
    ]);
    expect(model.body.outputs).toEqual([
      // Training stored the 0/1 target's classes as text, so labels are BYTES.
      { name: "label", datatype: "BYTES", shape: [-1] },
      { name: "probabilities", datatype: "FP32", shape: [-1, 2] },
    ]);
    expect((await get(`${server.url}/v2/models/flights/versions/1`)).body).toEqual(model.body);
    expect(await get(`${server.url}/v2/models/flights/ready`)).toEqual({
      status: 200,
      body: { name: "flights", ready: true },
    });
    expect((await get(`${server.url}/v2/models/flights/versions/1/ready`)).status).toBe(200);
  });

  it("unknown models and versions are 404 with the protocol's error body", async () => {
    const unknown = await get(`${server.url}/v2/models/nope`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: expect.stringContaining("Model 'nope' is not served here") });
    const version = await infer({ inputs: v2Inputs(FLIGHTS) }, "/v2/models/flights/versions/7/infer");
    expect(version.status).toBe(404);
    expect(version.body.error).toContain("no version '7'");
    expect((await get(`${server.url}/v2/models/nope/ready`)).status).toBe(404);
    expect((await get(`${server.url}/v3/whatever`)).status).toBe(404);
    await goodRequest();
  });

  it("infers named tensors (flat or nested data), echoes the id and matches @keel/runtime", async () => {
    const r = await infer({ id: "req-42", parameters: { trace: true }, inputs: v2Inputs(FLIGHTS) });
    expect(r.status).toBe(200);
    expect(r.headers.get("x-request-id")).toBe("req-42");
    expect(r.body).toMatchObject({
      model_name: "flights",
      model_version: "1",
      id: "req-42",
      parameters: { trace: true },
    });
    const expected = await reference.predict(FLIGHTS as unknown as Record<string, unknown>[]);
    if (expected.task === "regression") throw new Error("expected a classifier");
    const [label, proba] = r.body.outputs;
    expect(label).toEqual({ name: "label", datatype: "BYTES", shape: [3], data: expected.labels });
    expect(proba).toMatchObject({
      name: "probabilities",
      datatype: "FP32",
      shape: [3, 2],
      parameters: { classes: "0,1" },
    });
    proba.data.forEach((p: number, i: number) => {
      expect(p).toBeCloseTo(expected.probabilities[i]!, 6);
    });

    // Nested data with shape [n, 1], and only the requested output.
    const nested = v2Inputs(FLIGHTS).map((t) => {
      const x = t as { shape: number[]; data: unknown[] };
      return { ...x, shape: [3, 1], data: x.data.map((v) => [v]) };
    });
    const only = await infer({ inputs: nested, outputs: [{ name: "label" }] });
    expect(only.status).toBe(200);
    expect(only.body.outputs).toEqual([label]);
    // Without an id the server makes one and returns it in the body and the header.
    const noId = await goodRequest();
    expect(noId.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(noId.headers.get("x-request-id")).toBe(noId.body.id);
  });

  it("bad requests are 400s listing every problem, and the server keeps serving", async () => {
    const malformed = await post(`${server.url}/v2/models/flights/infer`, '{"inputs": [', "application/json");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatch(/not valid JSON/);
    await goodRequest();

    const notTensors = await infer({ data: [1, 2] });
    expect(notTensors.status).toBe(400);
    expect(notTensors.body.error).toContain('"inputs" array');
    await goodRequest();

    const inputs = v2Inputs(FLIGHTS.slice(0, 2)) as Record<string, unknown>[];
    const bad = [
      { ...inputs[0], datatype: "BYTES", data: ["1", "2"] }, // month: wrong datatype
      { ...inputs[1], shape: [3] }, // day_of_week: shape does not match data
      { ...inputs[2], datatype: "INT8", data: [8.5, 300] }, // hour: elements do not fit INT8
      { ...inputs[3], shape: [2, 2] }, // distance: not a column
      { name: "altitude", shape: [2], datatype: "FP32", data: [1, 2] }, // unknown input
      // origin and destination missing
    ];
    const r = await infer({ inputs: bad, outputs: [{ name: "score" }] });
    expect(r.status).toBe(400);
    const text: string = r.body.error;
    expect(Object.keys(r.body)).toEqual(["error"]);
    expect(text).toMatch(/8 problems/);
    expect(text).toContain("input 'month': datatype BYTES does not fit this number column");
    expect(text).toContain("input 'day_of_week': shape [3] holds 3 values but \"data\" has 2");
    expect(text).toContain("input 'hour': data does not fit datatype INT8");
    expect(text).toContain("input 'distance': shape [2, 2] is not a column");
    expect(text).toContain("input 'altitude': the model has no such input");
    expect(text).toContain("column 'origin' is missing");
    expect(text).toContain("column 'destination' is missing");
    expect(text).toContain('outputs[0]: "score" is not an output');
    await goodRequest();

    const unknownType = await infer({ inputs: [{ ...inputs[0], datatype: "FLOAT" }, ...inputs.slice(1)] });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.error).toContain('datatype "FLOAT" is not a protocol datatype');
    await goodRequest();
  });

  it("oversized bodies are 413, wrong content types 415", async () => {
    const big = { inputs: v2Inputs(Array.from({ length: 5000 }, () => FLIGHTS[0]!)) };
    const r = await infer(big);
    expect(r.status).toBe(413);
    expect(r.body.error).toContain("larger than the 65536 bytes");
    const text = await post(
      `${server.url}/v2/models/flights/infer`,
      "month=1",
      "application/x-www-form-urlencoded",
    );
    expect(text.status).toBe(415);
    await goodRequest();
  });

  it("signature problems of values: unknown category and missing values where not nullable", async () => {
    const r = await post(`${toy.url}/v2/models/toy/infer`, {
      inputs: [
        { name: "x", shape: [2], datatype: "FP64", data: [null, 1.5] },
        { name: "y", shape: [2], datatype: "FP64", data: [null, 2] },
        { name: "color", shape: [2], datatype: "BYTES", data: ["red", "purple"] },
      ],
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toContain(
      "column 'x': missing value (null/NaN) but the column is not nullable (1 row: 0)",
    );
    expect(r.body.error).toContain(
      "column 'color': unknown category \"purple\" (allowed: blue, green, red) (1 row: 1)",
    );
    expect(r.body.error).not.toContain("column 'y'");
    const ok = await post(`${toy.url}/v2/models/toy/infer`, {
      inputs: [
        { name: "x", shape: [1], datatype: "FP64", data: [1.5] },
        { name: "y", shape: [1], datatype: "FP64", data: [null] },
        { name: "color", shape: [1], datatype: "BYTES", data: ["red"] },
      ],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.outputs[0]).toMatchObject({ name: "label", datatype: "BYTES" });
  });

  it("MLflow /invocations: dataframe_split, dataframe_records, instances, inputs and CSV agree", async () => {
    const expected = await reference.predict(FLIGHTS as unknown as Record<string, unknown>[]);
    if (expected.task === "regression") throw new Error("expected a classifier");
    const cols = Object.keys(FLIGHTS[0]!) as (keyof (typeof FLIGHTS)[0])[];
    const bodies = [
      { dataframe_split: { columns: cols, data: FLIGHTS.map((r) => cols.map((c) => r[c])) } },
      { dataframe_records: FLIGHTS },
      { instances: FLIGHTS },
      { inputs: Object.fromEntries(cols.map((c) => [c, FLIGHTS.map((r) => r[c])])) },
      { inputs: FLIGHTS, params: { anything: 1 } },
    ];
    for (const body of bodies) {
      const r = await post(`${server.url}/invocations`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toEqual({ predictions: expected.labels });
    }
    const csv = `${cols.join(",")}\n${FLIGHTS.map((r) => cols.map((c) => r[c]).join(",")).join("\r\n")}\n`;
    const r = await post(`${server.url}/invocations`, csv, "text/csv");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ predictions: expected.labels });
    expect(r.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("MLflow /invocations errors use MLflow's body; /ping, /health and /version answer", async () => {
    const two = await post(`${server.url}/invocations`, { instances: FLIGHTS, inputs: FLIGHTS });
    expect(two.status).toBe(400);
    expect(two.body).toMatchObject({ error_code: "BAD_REQUEST" });
    expect(two.body.message).toContain("exactly one of the input fields");
    const list = await post(`${server.url}/invocations`, [1, 2]);
    expect(list.status).toBe(400);
    expect(list.body.message).toContain("Received a list");
    const missing = await post(`${server.url}/invocations`, { dataframe_records: [{ month: 1 }] });
    expect(missing.status).toBe(400);
    expect(missing.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(missing.body.message).toContain("column 'distance' is missing");
    const badCsv = await post(`${server.url}/invocations`, "month,hour\n1\n", "text/csv");
    expect(badCsv.status).toBe(400);
    expect(badCsv.body.message).toContain("CSV line 2 has 1 fields");
    const malformed = await post(`${server.url}/invocations`, "{nope", "application/json");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error_code).toBe("MALFORMED_REQUEST");
    const xml = await post(`${server.url}/invocations`, "<a/>", "application/xml");
    expect(xml.status).toBe(415);
    expect(await get(`${server.url}/ping`)).toEqual({ status: 200, body: "\n" });
    expect((await get(`${server.url}/health`)).status).toBe(200);
    expect((await get(`${server.url}/version`)).body).toMatch(/^\d+\.\d+\.\d+/);
    const ok = await post(`${server.url}/invocations`, { dataframe_records: FLIGHTS });
    expect(ok.status).toBe(200);
  });

  it("/metrics counts requests and errors by route, model, version and status", async () => {
    const text = (await get(`${server.url}/metrics`)).body as string;
    expect(text).toMatch(
      /keel_serve_requests_total\{route="\/v2\/models\/:name\/infer",model="flights",version="1",status="200"\} \d+/,
    );
    expect(text).toMatch(
      /keel_serve_request_errors_total\{route="\/v2\/models\/:name\/infer",model="flights",version="1",status="400"\} \d+/,
    );
    expect(text).toMatch(
      /keel_serve_request_errors_total\{route="\/v2\/models\/:name\/infer",model="",version="",status="413"\} 1/,
    );
    expect(text).toContain(
      'keel_serve_request_duration_seconds_bucket{le="0.001",route="/v2/models/:name/infer"',
    );
    expect(text).toMatch(/keel_serve_batch_size_count\{model="flights",version="1"\} \d+/);
  });
});
