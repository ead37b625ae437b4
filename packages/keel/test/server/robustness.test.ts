/**
 * Bad requests of every kind get a 4xx with a clear MLflow-shaped message, and the server keeps
 * serving: after each one, /health still answers.
 */

import { access, readdir } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Client, client, startTestApp, type TestServer } from "./harness.js";

/** A request with a raw, unnormalised path (fetch would resolve `..` before sending). */
function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  body?: string,
  // biome-ignore lint/suspicious/noExplicitAny: tests read MLflow's JSON answers ad hoc.
): Promise<{ status: number; json: any }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        text += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe("keel server robustness", () => {
  let server: TestServer & { closeStore(): Promise<void> };
  let api: Client;
  let runId: string;

  beforeAll(async () => {
    server = await startTestApp({ jsonBodyLimit: 64 * 1024, artifactBodyLimit: 4096 });
    api = client(server.url);
    const exp = await api.post("experiments/create", { name: "robustness" });
    const run = await api.post("runs/create", { experiment_id: exp.json.experiment_id, start_time: 1 });
    runId = run.json.run.info.run_id;
  });

  afterAll(async () => {
    await server?.close();
  });

  afterEach(async () => {
    const health = await api.send("GET", "/health");
    expect(health.status).toBe(200);
    expect(health.json.status).toBe("ok");
  });

  it("rejects malformed JSON with MALFORMED_REQUEST", async () => {
    const res = await api.send("POST", "/api/2.0/mlflow/runs/log-metric", {
      body: '{"run_id": "x", "key": ',
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.json.error_code).toBe("MALFORMED_REQUEST");
    expect(res.json.message).toMatch(/not valid JSON/);
  });

  it("rejects a JSON body that is not an object", async () => {
    const res = await api.post("runs/create", [1, 2, 3]);
    expect(res.status).toBe(400);
    expect(res.json.error_code).toBe("MALFORMED_REQUEST");
    expect(res.json.message).toContain("got array");
  });

  it("names missing required fields the way MLflow does", async () => {
    const get = await api.get("runs/get", {});
    expect(get.status).toBe(400);
    expect(get.json).toEqual({
      error_code: "INVALID_PARAMETER_VALUE",
      message:
        "Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.",
    });
    const nested = await api.post("runs/log-batch", { run_id: runId, metrics: [{ key: "a", value: 1 }] });
    expect(nested.status).toBe(400);
    expect(nested.json.message).toContain("Missing value for required parameter 'metrics[0].timestamp'");
    const empty = await api.post("experiments/create", { name: "" });
    expect(empty.status).toBe(400);
    expect(empty.json.message).toContain("'name'");
  });

  it("rejects values of the wrong type, naming the field and the expectation", async () => {
    const res = await api.post("runs/log-metric", { run_id: runId, key: "acc", value: "high", timestamp: 1 });
    expect(res.status).toBe(400);
    expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(res.json.message).toContain("parameter 'value'");
    expect(res.json.message).toContain("number");
    const tooMany = await api.post("runs/search", { experiment_ids: ["0"], max_results: 50_001 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.message).toContain("at most 50000");
  });

  it("answers 404 RESOURCE_DOES_NOT_EXIST for unknown ids", async () => {
    const run = await api.get("runs/get", { run_id: "0123456789abcdef0123456789abcdef" });
    expect(run.status).toBe(404);
    expect(run.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    const log = await api.post("runs/log-parameter", { run_id: "nope", key: "a", value: "1" });
    expect(log.status).toBe(404);
    const exp = await api.get("experiments/get", { experiment_id: "424242" });
    expect(exp.status).toBe(404);
    const model = await api.get("registered-models/get", { name: "no-such-model" });
    expect(model.status).toBe(404);
  });

  it("enforces MLflow's value limits", async () => {
    const param = await api.post("runs/log-parameter", {
      run_id: runId,
      key: "long",
      value: "x".repeat(6001),
    });
    expect(param.status).toBe(400);
    expect(param.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(param.json.message).toContain("6000");
    const key = await api.post("runs/set-tag", { run_id: runId, key: "k".repeat(251), value: "v" });
    expect(key.status).toBe(400);
    expect(key.json.message).toContain("250");
    const tag = await api.post("runs/set-tag", { run_id: runId, key: "big", value: "v".repeat(5001) });
    expect(tag.status).toBe(400);
    expect(tag.json.message).toContain("5000");
  });

  it("enforces log-batch's entity counts and 1 MB body", async () => {
    const metrics = Array.from({ length: 1001 }, (_, i) => ({ key: "m", value: i, timestamp: 1, step: i }));
    const many = await api.post("runs/log-batch", { run_id: runId, metrics });
    expect(many.status).toBe(400);
    expect(many.json.message).toContain("at most 1000 metrics");
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: "1" }));
    const manyParams = await api.post("runs/log-batch", { run_id: runId, params });
    expect(manyParams.status).toBe(400);
    expect(manyParams.json.message).toContain("at most 100 params");

    const huge = await api.post("runs/log-batch", {
      run_id: runId,
      tags: [{ key: "blob", value: "x".repeat(1_000_001) }],
    });
    expect(huge.status).toBe(400);
    expect(huge.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(huge.json.message).toMatch(/Batched logging API requests must be at most 1000000 bytes/);
  });

  it("answers 413 for JSON bodies over the app's limit", async () => {
    const res = await api.post("experiments/create", { name: "x".repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(res.json.error_code).toBe("REQUEST_LIMIT_EXCEEDED");
    expect(res.json.message).toContain("65536 bytes");
  });

  it("refuses artifact paths that leave the store, plain or encoded", async () => {
    const marker = `keel-escape-${Date.now()}.txt`;
    const plain = await rawRequest(
      server.url,
      "PUT",
      `/api/2.0/mlflow-artifacts/artifacts/../../${marker}`,
      "pwned",
    );
    expect(plain.status).toBe(400);
    expect(plain.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(plain.json.message).toContain("..");
    const encoded = await rawRequest(
      server.url,
      "PUT",
      `/api/2.0/mlflow-artifacts/artifacts/%2e%2e%2f%2e%2e%2f${marker}`,
      "pwned",
    );
    expect(encoded.status).toBe(400);
    const read = await rawRequest(server.url, "GET", "/api/2.0/mlflow-artifacts/artifacts/../../etc/passwd");
    expect(read.status).toBe(400);
    const readEncoded = await api.send(
      "GET",
      "/api/2.0/mlflow-artifacts/artifacts/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    );
    expect(readEncoded.status).toBe(400);
    const list = await api.send("GET", "/api/2.0/mlflow-artifacts/artifacts?path=../../etc");
    expect(list.status).toBe(400);
    const viaRun = await api.send("GET", `/get-artifact?run_id=${runId}&path=../../../etc/passwd`);
    expect(viaRun.status).toBe(400);
    const listRun = await api.get("artifacts/list", { run_id: runId, path: "../.." });
    expect(listRun.status).toBe(400);
    const absolute = await api.send("GET", "/api/2.0/mlflow-artifacts/artifacts//etc/passwd");
    expect(absolute.status).toBe(400);
    for (const d of [
      server.artifactsDir,
      dirname(server.artifactsDir),
      dirname(dirname(server.artifactsDir)),
    ]) {
      expect(await exists(join(d, marker))).toBe(false);
    }
  });

  it("answers 413 for artifact uploads over the limit, announced or streamed", async () => {
    const announced = await api.send("PUT", "/api/2.0/mlflow-artifacts/artifacts/big.bin", {
      body: Buffer.alloc(5000),
    });
    expect(announced.status).toBe(413);
    expect(announced.json.error_code).toBe("REQUEST_LIMIT_EXCEEDED");
    // A chunked upload has no Content-Length: the limit is enforced while streaming.
    const chunks = async function* () {
      for (let i = 0; i < 5; i++) yield new Uint8Array(1024);
    };
    const streamed = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/streamed.bin`, {
      method: "PUT",
      body: ReadableStream.from(chunks()),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await readdir(server.artifactsDir).catch(() => [])).not.toContain("streamed.bin");
    const small = await api.send("PUT", "/api/2.0/mlflow-artifacts/artifacts/small.bin", {
      body: Buffer.alloc(100),
    });
    expect(small.status).toBe(200);
  });

  it("rejects non-JSON content types on API routes", async () => {
    const res = await api.send("POST", "/api/2.0/mlflow/experiments/create", {
      body: '{"name": "text-plain"}',
      headers: { "Content-Type": "text/plain" },
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain("application/json");
  });

  it("answers ENDPOINT_NOT_FOUND for unknown rpcs, naming the right method when there is one", async () => {
    const unknown = await api.post("runs/explode", {});
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      error_code: "ENDPOINT_NOT_FOUND",
      message:
        "No API found for 'POST /mlflow/runs/explode'. See /openapi.json for the endpoints this server implements.",
    });
    const wrongMethod = await api.get("runs/create", {});
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.json.message).toContain("This path accepts POST");
  });
});

describe("keel server auth", () => {
  let server: TestServer;
  const token = "s3cret-token";

  beforeAll(async () => {
    server = await startTestApp({ token });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("requires the bearer token everywhere but /health", async () => {
    const anonymous = client(server.url);
    const health = await anonymous.send("GET", "/health");
    expect(health.status).toBe(200);
    const none = await anonymous.post("experiments/create", { name: "a" });
    expect(none.status).toBe(401);
    expect(none.json.error_code).toBe("UNAUTHENTICATED");
    expect(none.json.message).toContain("Authorization: Bearer");
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    const wrong = await client(server.url, "not-the-token").get("experiments/search", {});
    expect(wrong.status).toBe(401);
    const metrics = await anonymous.send("GET", "/metrics");
    expect(metrics.status).toBe(401);
    const upload = await anonymous.send("PUT", "/api/2.0/mlflow-artifacts/artifacts/x.txt", { body: "x" });
    expect(upload.status).toBe(401);
    const right = await client(server.url, token).post("experiments/create", { name: "a" });
    expect(right.status).toBe(200);
    expect((await anonymous.send("GET", "/health")).status).toBe(200);
  });
});

describe("keel server internal errors", () => {
  it("answers 500 INTERNAL_ERROR when the store fails, and keeps serving", async () => {
    const server = await startTestApp();
    try {
      const api = client(server.url);
      await server.closeStore();
      const res = await api.get("experiments/get", { experiment_id: "0" });
      expect(res.status).toBe(500);
      expect(res.json.error_code).toBe("INTERNAL_ERROR");
      expect(res.json.message).toContain("GET /api/2.0/mlflow/experiments/get");
      expect((await api.send("GET", "/health")).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
