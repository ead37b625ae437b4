/**
 * Keel's native dataset-version routes (`/api/2.0/keel/datasets/...`) over plain HTTP: snake_case
 * answers, MLflow-shaped errors with the store's codes, the ajax twin, auth, the 404 method hint
 * and the OpenAPI document, all from the same route-table machinery as the MLflow routes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, client, startTestServer, type TestServer } from "./harness.js";

const TOKEN = "dataset-routes-token";
const KEEL = "/api/2.0/keel";
const DIGEST_1 = "a".repeat(64);
const DIGEST_2 = "b".repeat(64);

describe("keel server: dataset-version routes", () => {
  let server: TestServer;
  let api: Client;
  const post = (rpc: string, body: unknown) =>
    api.send("POST", `${KEEL}/${rpc}`, {
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json" },
    });
  const get = (rpc: string, query?: Record<string, unknown>) =>
    api.send("GET", api.withQuery(`${KEEL}/${rpc}`, query));

  beforeAll(async () => {
    server = await startTestServer({ token: TOKEN });
    api = client(server.url, TOKEN);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("creates versions idempotently and answers in snake_case", async () => {
    const body = {
      name: "weather",
      digest: DIGEST_1,
      size: 1234,
      file_count: 1,
      path: "data/weather.csv",
      schema: '{"columns":[]}',
      git_commit: "abc123",
      user_id: "ada",
    };
    const first = await post("datasets/versions/create", body);
    expect(first.status, first.text).toBe(200);
    expect(first.json.dataset_version).toEqual({
      name: "weather",
      version: 1,
      digest: DIGEST_1,
      size: 1234,
      file_count: 1,
      path: "data/weather.csv",
      schema: '{"columns":[]}',
      git_commit: "abc123",
      created_at: expect.any(Number),
      user_id: "ada",
    });
    // Same digest and path: the same version back, nothing new recorded.
    const again = await post("datasets/versions/create", body);
    expect(again.json.dataset_version).toEqual(first.json.dataset_version);
    const second = await post("datasets/versions/create", { ...body, digest: DIGEST_2, description: "v2" });
    expect(second.json.dataset_version).toMatchObject({ version: 2, description: "v2" });

    const got = await get("datasets/versions/get", { name: "weather", version: 1 });
    expect(got.json.dataset_version).toEqual(first.json.dataset_version);
    const latest = await get("datasets/versions/get-latest", { name: "weather" });
    expect(latest.json.dataset_version.version).toBe(2);
    const listed = await get("datasets/versions/list", { name: "weather" });
    expect(listed.json.dataset_versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect((await get("datasets/versions/list", { name: "nothing" })).json).toEqual({ dataset_versions: [] });
    const datasets = await get("datasets/list");
    expect(datasets.json.datasets).toEqual([
      { name: "weather", latest_version: 2, updated_at: expect.any(Number), version_count: 2 },
    ]);
    // The UI's ajax twin serves the same rows.
    const ajax = await api.send("GET", "/ajax-api/2.0/keel/datasets/list");
    expect(ajax.json).toEqual(datasets.json);
  });

  it("answers lineage with MLflow's RunInfo and ModelVersion messages", async () => {
    await post("datasets/versions/create", {
      name: "flights",
      digest: DIGEST_1,
      size: 10,
      file_count: 1,
      path: "data/flights.parquet",
    });
    const exp = await api.post("experiments/create", { name: "lineage" });
    const run = await api.post("runs/create", { experiment_id: exp.json.experiment_id, start_time: 5 });
    const runId: string = run.json.run.info.run_id;
    const logged = await api.post("runs/log-inputs", {
      run_id: runId,
      datasets: [
        {
          dataset: { name: "flights", digest: DIGEST_1, source_type: "keel", source: "x", version: 1 },
        },
      ],
    });
    expect(logged.status, logged.text).toBe(200);
    await api.post("registered-models/create", { name: "delay-model" });
    await api.post("model-versions/create", { name: "delay-model", source: "file:///m", run_id: runId });

    const usage = await get("datasets/versions/usage", { name: "flights", version: 1 });
    expect(usage.status, usage.text).toBe(200);
    expect(usage.json.runs).toEqual([run.json.run.info]);
    expect(usage.json.model_versions).toEqual([
      expect.objectContaining({ name: "delay-model", version: "1", run_id: runId }),
    ]);
  });

  it("keeps the store's error codes and messages", async () => {
    const missing = await get("datasets/versions/get", { name: "weather", version: 9 });
    expect(missing.status).toBe(404);
    expect(missing.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect(missing.json.message).toMatch(/weather@9 not found: the latest is weather@2/);
    const none = await get("datasets/versions/get-latest", { name: "nothing" });
    expect(none.status).toBe(404);
    expect(none.json.message).toMatch(/Dataset 'nothing' has no versions/);
    const zero = await get("datasets/versions/usage", { name: "weather", version: 0 });
    expect(zero.status).toBe(400);
    expect(zero.json).toEqual({
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Invalid dataset version 0 for 'weather': versions are integers >= 1.",
    });
    const word = await get("datasets/versions/get", { name: "weather", version: "two" });
    expect(word.status).toBe(400);
    expect(word.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(word.json.message).toMatch(/parameter 'version'/);
    const noName = await post("datasets/versions/create", { digest: DIGEST_1, size: 1, file_count: 1 });
    expect(noName.status).toBe(400);
    expect(noName.json.message).toMatch(/Missing value for required parameter 'name'/);
    const badName = await post("datasets/versions/create", {
      name: "../etc",
      digest: DIGEST_1,
      size: 1,
      file_count: 1,
      path: "x",
    });
    expect(badName.status).toBe(400);
    expect(badName.json.message).toMatch(/Invalid dataset name '\.\.\/etc'/);
    const wrongMethod = await api.send("GET", `${KEEL}/datasets/versions/create`);
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.json.message).toBe(
      "No API found for 'GET /keel/datasets/versions/create'. This path accepts POST.",
    );
  });

  it("requires the bearer token like every other route", async () => {
    const anonymous = client(server.url);
    const res = await anonymous.send("GET", `${KEEL}/datasets/list`);
    expect(res.status).toBe(401);
    expect(res.json.error_code).toBe("UNAUTHENTICATED");
  });

  it("documents the routes in the OpenAPI document", async () => {
    const doc = await api.send("GET", "/openapi.json");
    const create = doc.json.paths[`${KEEL}/datasets/versions/create`].post;
    expect(create.operationId).toBe("createDatasetVersion");
    expect(create.tags).toEqual(["datasets"]);
    expect(create.requestBody.content["application/json"].schema.required).toEqual([
      "name",
      "digest",
      "size",
      "file_count",
      "path",
    ]);
    const usage = doc.json.paths[`${KEEL}/datasets/versions/usage`].get;
    expect(usage.operationId).toBe("findDatasetUsage");
    expect(usage.parameters.map((p: { name: string }) => p.name)).toEqual(["name", "version"]);
    for (const path of [
      "datasets/versions/get",
      "datasets/versions/get-latest",
      "datasets/versions/list",
      "datasets/list",
    ]) {
      expect(doc.json.paths[`${KEEL}/${path}`].get.operationId).toBeTruthy();
    }
    expect(doc.json.info.description).toContain("also served under /ajax-api/2.0/keel");
  });
});
