/**
 * The end-to-end MLflow REST API scenario, run against each backend: it does with plain `fetch`
 * what MLflow's REST API docs describe and checks MLflow-shaped answers.
 */
import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, client, startTestServer, type TestServer } from "./harness.js";

/** Where a run's artifacts live inside the proxy, from its artifact URI (as MLflow's client derives it). */
export function proxyPathOf(artifactUri: string, artifactsDir: string): string {
  if (artifactUri.startsWith("mlflow-artifacts:")) {
    return artifactUri.replace(/^mlflow-artifacts:(\/\/[^/]*)?/, "").replace(/^\/+/, "");
  }
  if (artifactUri.startsWith("file:")) {
    const rel = relative(artifactsDir, fileURLToPath(artifactUri));
    if (rel.startsWith("..")) throw new Error(`${artifactUri} is outside ${artifactsDir}`);
    return rel.split(sep).join("/");
  }
  throw new Error(`unexpected artifact URI ${artifactUri}`);
}

/** A backend for the suite: a URI (undefined = the harness's temp SQLite file) and its teardown. */
export interface SuiteBackend {
  uri: string | undefined;
  kind: "sqlite" | "postgresql";
  stop(): Promise<void>;
}

/** Register the scenario for one backend. */
export function defineMlflowApiSuite(label: string, openBackend: () => Promise<SuiteBackend>): void {
  describe(`MLflow REST API end to end (${label})`, () => {
    let backend: SuiteBackend;
    let server: TestServer;
    let api: Client;
    let experimentId: string;
    let runId: string;
    let runArtifactUri: string;
    const t0 = 1_700_000_000_000;

    beforeAll(async () => {
      backend = await openBackend();
      server = await startTestServer(backend.uri === undefined ? {} : { backendUri: backend.uri });
      api = client(server.url);
    });

    afterAll(async () => {
      await server?.close();
      await backend?.stop();
    });

    it("answers /health with the backend and version", async () => {
      const res = await api.send("GET", "/health");
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ status: "ok", backend: backend.kind });
      expect(res.json.version).toMatch(/^\d+\.\d+\.\d+/);
    });

    it("creates, gets and searches experiments", async () => {
      const created = await api.post("experiments/create", {
        name: "flights-delay",
        tags: [{ key: "team", value: "ml" }],
      });
      expect(created.status).toBe(200);
      expect(typeof created.json.experiment_id).toBe("string");
      experimentId = created.json.experiment_id;

      const got = await api.get("experiments/get", { experiment_id: experimentId });
      expect(got.status).toBe(200);
      expect(got.json.experiment).toMatchObject({
        experiment_id: experimentId,
        name: "flights-delay",
        lifecycle_stage: "active",
        tags: [{ key: "team", value: "ml" }],
      });
      expect(typeof got.json.experiment.creation_time).toBe("number");
      expect(typeof got.json.experiment.artifact_location).toBe("string");

      const byName = await api.get("experiments/get-by-name", { experiment_name: "flights-delay" });
      expect(byName.json.experiment.experiment_id).toBe(experimentId);

      const dup = await api.post("experiments/create", { name: "flights-delay" });
      expect(dup.status).toBe(400);
      expect(dup.json.error_code).toBe("RESOURCE_ALREADY_EXISTS");

      await api.post("experiments/create", { name: "other-experiment" });
      const searched = await api.post("experiments/search", {
        filter: "name = 'flights-delay'",
        max_results: 10,
      });
      expect(searched.status).toBe(200);
      expect(searched.json.experiments.map((e: { name: string }) => e.name)).toEqual(["flights-delay"]);

      // GET form: repeated order_by keys, as MLflow clients send arrays in query strings.
      const viaGet = await api.get("experiments/search", { order_by: ["name ASC"], max_results: 1 });
      expect(viaGet.status).toBe(200);
      expect(viaGet.json.experiments).toHaveLength(1);
      expect(typeof viaGet.json.next_page_token).toBe("string");

      const tagged = await api.post("experiments/set-experiment-tag", {
        experiment_id: experimentId,
        key: "owner",
        value: "ana",
      });
      expect(tagged.status).toBe(200);
      expect(tagged.json).toEqual({});
    });

    it("creates a run and logs a batch, a metric and a param", async () => {
      const created = await api.post("runs/create", {
        experiment_id: experimentId,
        run_name: "gbdt-baseline",
        start_time: t0,
        tags: [{ key: "mlflow.user", value: "ana" }],
      });
      expect(created.status).toBe(200);
      const info = created.json.run.info;
      expect(info).toMatchObject({
        experiment_id: experimentId,
        run_name: "gbdt-baseline",
        status: "RUNNING",
        start_time: t0,
        lifecycle_stage: "active",
      });
      expect(info.run_id).toBe(info.run_uuid);
      expect(info.end_time).toBeUndefined();
      runId = info.run_id;
      runArtifactUri = info.artifact_uri;
      expect(runArtifactUri).toContain(runId);

      const batch = await api.post("runs/log-batch", {
        run_id: runId,
        metrics: [
          { key: "loss", value: 0.9, timestamp: t0 + 1, step: 0 },
          { key: "loss", value: 0.5, timestamp: t0 + 2, step: 1 },
          { key: "loss", value: 0.3, timestamp: t0 + 3, step: 2 },
          { key: "grad_norm", value: "NaN", timestamp: t0 + 3, step: 2 },
        ],
        params: [
          { key: "learning_rate", value: "0.1" },
          { key: "max_depth", value: "6" },
        ],
        tags: [{ key: "stage", value: "train" }],
      });
      expect(batch.status).toBe(200);
      expect(batch.json).toEqual({});

      const metric = await api.post("runs/log-metric", {
        run_id: runId,
        key: "acc",
        value: 0.91,
        timestamp: t0 + 4,
        step: 2,
      });
      expect(metric.status).toBe(200);
      const param = await api.post("runs/log-parameter", { run_id: runId, key: "estimator", value: "gbdt" });
      expect(param.status).toBe(200);
      const same = await api.post("runs/log-parameter", { run_id: runId, key: "estimator", value: "gbdt" });
      expect(same.status).toBe(200);
      const changed = await api.post("runs/log-parameter", { run_id: runId, key: "estimator", value: "rf" });
      expect(changed.status).toBe(400);
      expect(changed.json.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(changed.json.message).toContain("estimator");

      const tag = await api.post("runs/set-tag", { run_id: runId, key: "note", value: "temporary" });
      expect(tag.status).toBe(200);
      const untag = await api.post("runs/delete-tag", { run_id: runId, key: "note" });
      expect(untag.status).toBe(200);
    });

    it("returns metric history in step order, NaN as MLflow writes it", async () => {
      const history = await api.get("metrics/get-history", { run_id: runId, metric_key: "loss" });
      expect(history.status).toBe(200);
      expect(history.json.metrics).toEqual([
        { key: "loss", value: 0.9, timestamp: t0 + 1, step: 0 },
        { key: "loss", value: 0.5, timestamp: t0 + 2, step: 1 },
        { key: "loss", value: 0.3, timestamp: t0 + 3, step: 2 },
      ]);
      const nan = await api.get("metrics/get-history", { run_id: runId, metric_key: "grad_norm" });
      expect(nan.json.metrics).toEqual([{ key: "grad_norm", value: "NaN", timestamp: t0 + 3, step: 2 }]);

      const bulk = await api.get("metrics/get-history-bulk-interval", {
        run_ids: [runId],
        metric_key: "loss",
        max_results: 2,
      });
      expect(bulk.status).toBe(200);
      expect(bulk.json.metrics.map((m: { step: number }) => m.step)).toEqual([0, 1, 2]);
      expect(bulk.json.metrics[0].run_id).toBe(runId);
    });

    it("gets a run with latest metrics, params, tags", async () => {
      const res = await api.get("runs/get", { run_id: runId });
      expect(res.status).toBe(200);
      const { data } = res.json.run;
      const metrics = Object.fromEntries(
        data.metrics.map((m: { key: string; value: unknown }) => [m.key, m.value]),
      );
      expect(metrics).toEqual({ loss: 0.3, acc: 0.91, grad_norm: "NaN" });
      const params = Object.fromEntries(
        data.params.map((p: { key: string; value: string }) => [p.key, p.value]),
      );
      expect(params).toEqual({ learning_rate: "0.1", max_depth: "6", estimator: "gbdt" });
      const tags = Object.fromEntries(data.tags.map((t: { key: string; value: string }) => [t.key, t.value]));
      expect(tags.stage).toBe("train");
      expect(tags.note).toBeUndefined();
    });

    it("logs dataset inputs and returns them on the run", async () => {
      const res = await api.post("runs/log-inputs", {
        run_id: runId,
        datasets: [
          {
            tags: [{ key: "mlflow.data.context", value: "train" }],
            dataset: {
              name: "flights",
              digest: "abc123",
              source_type: "local",
              source: '{"uri": "data/flights.parquet"}',
              schema: '{"columns": ["delay"]}',
            },
          },
        ],
      });
      expect(res.status).toBe(200);
      const run = await api.get("runs/get", { run_id: runId });
      expect(run.json.run.inputs.dataset_inputs).toEqual([
        {
          tags: [{ key: "mlflow.data.context", value: "train" }],
          dataset: {
            name: "flights",
            digest: "abc123",
            source_type: "local",
            source: '{"uri": "data/flights.parquet"}',
            schema: '{"columns": ["delay"]}',
          },
        },
      ]);
    });

    it("searches runs with a filter, order_by and pagination", async () => {
      for (const [i, acc] of [0.7, 0.95, 0.4].entries()) {
        const r = await api.post("runs/create", {
          experiment_id: experimentId,
          run_name: `trial-${i}`,
          start_time: t0 + i,
        });
        await api.post("runs/log-metric", {
          run_id: r.json.run.info.run_id,
          key: "acc",
          value: acc,
          timestamp: t0 + 10,
          step: 0,
        });
      }
      const query = {
        experiment_ids: [experimentId],
        filter: "metrics.acc > 0.5",
        order_by: ["metrics.acc DESC"],
        max_results: 2,
      };
      const first = await api.post("runs/search", query);
      expect(first.status).toBe(200);
      expect(first.json.runs.map((r: { info: { run_name: string } }) => r.info.run_name)).toEqual([
        "trial-1",
        "gbdt-baseline",
      ]);
      expect(typeof first.json.next_page_token).toBe("string");
      const second = await api.post("runs/search", { ...query, page_token: first.json.next_page_token });
      expect(second.json.runs.map((r: { info: { run_name: string } }) => r.info.run_name)).toEqual([
        "trial-0",
      ]);
      expect(second.json.next_page_token).toBeUndefined();

      const none = await api.post("runs/search", {
        experiment_ids: [experimentId],
        filter: "params.max_depth = '99'",
      });
      expect(none.json.runs).toEqual([]);
    });

    it("records logged models in mlflow.log-model.history", async () => {
      const model = {
        artifact_path: "model",
        run_id: runId,
        utc_time_created: "2026-01-01 00:00:00.000000",
        model_uuid: "m-1",
        flavors: { python_function: { loader_module: "keel", config: { big: "x" } } },
        signature: { inputs: "[]" },
      };
      const res = await api.post("runs/log-model", { run_id: runId, model_json: JSON.stringify(model) });
      expect(res.status).toBe(200);
      const run = await api.get("runs/get", { run_id: runId });
      const tag = run.json.run.data.tags.find((t: { key: string }) => t.key === "mlflow.log-model.history");
      expect(JSON.parse(tag.value)).toEqual([
        {
          run_id: runId,
          utc_time_created: "2026-01-01 00:00:00.000000",
          artifact_path: "model",
          model_uuid: "m-1",
          flavors: { python_function: { loader_module: "keel" } },
        },
      ]);
      const bad = await api.post("runs/log-model", { run_id: runId, model_json: '{"flavors": {}}' });
      expect(bad.status).toBe(400);
      expect(bad.json.message).toContain("missing mandatory fields: artifact_path, utc_time_created, run_id");
    });

    it("finishes a run", async () => {
      const res = await api.post("runs/update", { run_id: runId, status: "FINISHED", end_time: t0 + 100 });
      expect(res.status).toBe(200);
      expect(res.json.run_info).toMatchObject({ run_id: runId, status: "FINISHED", end_time: t0 + 100 });
    });

    it("uploads, lists, downloads and deletes artifacts through the mlflow-artifacts proxy", async () => {
      const base = proxyPathOf(runArtifactUri, server.artifactsDir);
      const notes = "delay model notes\n";
      const put = await api.send("PUT", `/api/2.0/mlflow-artifacts/artifacts/${base}/notes.txt`, {
        body: notes,
        headers: { "Content-Type": "text/plain" },
      });
      expect(put.status).toBe(200);
      // A bigger binary file, with the JSON content type MLflow's client guesses for .json files.
      const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
      const putBig = await api.send("PUT", `/api/2.0/mlflow-artifacts/artifacts/${base}/model/weights.json`, {
        body: big,
        headers: { "Content-Type": "application/json" },
      });
      expect(putBig.status).toBe(200);

      const listed = await api.get("artifacts/list", { run_id: runId });
      expect(listed.status).toBe(200);
      expect(listed.json.root_uri).toBe(runArtifactUri);
      expect(listed.json.files).toEqual([
        { path: "model", is_dir: true },
        { path: "notes.txt", is_dir: false, file_size: notes.length },
      ]);
      const nested = await api.get("artifacts/list", { run_id: runId, path: "model" });
      expect(nested.json.files).toEqual([
        { path: "model/weights.json", is_dir: false, file_size: big.length },
      ]);

      const proxyList = await api.send(
        "GET",
        `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(`${base}/model`)}`,
      );
      expect(proxyList.json.files).toEqual([{ path: "weights.json", is_dir: false, file_size: big.length }]);

      const download = await fetch(
        `${server.url}/api/2.0/mlflow-artifacts/artifacts/${base}/model/weights.json`,
      );
      expect(download.status).toBe(200);
      expect(download.headers.get("content-disposition")).toContain("attachment");
      expect(Buffer.from(await download.arrayBuffer()).equals(big)).toBe(true);

      const viaRun = await api.send("GET", `/get-artifact?run_id=${runId}&path=notes.txt`);
      expect(viaRun.status).toBe(200);
      expect(viaRun.text).toBe(notes);
      expect(viaRun.headers.get("content-type")).toContain("text/plain");

      const deleted = await api.send("DELETE", `/api/2.0/mlflow-artifacts/artifacts/${base}/notes.txt`);
      expect(deleted.status).toBe(200);
      const gone = await api.send("GET", `/api/2.0/mlflow-artifacts/artifacts/${base}/notes.txt`);
      expect(gone.status).toBe(404);
      expect(gone.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    });

    it("registers a model, creates versions and moves aliases", async () => {
      const created = await api.post("registered-models/create", {
        name: "flight-delay",
        tags: [{ key: "task", value: "binary" }],
        description: "delayed > 15 min",
      });
      expect(created.status).toBe(200);
      expect(created.json.registered_model).toMatchObject({
        name: "flight-delay",
        description: "delayed > 15 min",
        tags: [{ key: "task", value: "binary" }],
        aliases: [],
      });

      const v1 = await api.post("model-versions/create", {
        name: "flight-delay",
        source: `runs:/${runId}/model`,
        run_id: runId,
      });
      expect(v1.status).toBe(200);
      expect(v1.json.model_version).toMatchObject({
        name: "flight-delay",
        version: "1",
        status: "READY",
        current_stage: "None",
        run_id: runId,
        source: `${runArtifactUri.replace(/\/+$/, "")}/model`,
      });
      // A storage URI as source (no run id): only runs:/ sources imply the run.
      const v2 = await api.post("model-versions/create", {
        name: "flight-delay",
        source: `${runArtifactUri.replace(/\/+$/, "")}/model`,
      });
      expect(v2.json.model_version).toMatchObject({ version: "2", run_id: "" });

      const file = await api.send(
        "GET",
        "/model-versions/get-artifact?name=flight-delay&version=1&path=weights.json",
      );
      expect(file.status).toBe(200);
      expect(file.text.length).toBe(3 * 1024 * 1024 + 17);

      const set = await api.post("registered-models/alias", {
        name: "flight-delay",
        alias: "champion",
        version: "1",
      });
      expect(set.status).toBe(200);
      const byAlias = await api.get("registered-models/alias", { name: "flight-delay", alias: "champion" });
      expect(byAlias.status).toBe(200);
      expect(byAlias.json.model_version).toMatchObject({ version: "1", aliases: ["champion"] });
      const model = await api.get("registered-models/get", { name: "flight-delay" });
      expect(model.json.registered_model.aliases).toEqual([{ alias: "champion", version: "1" }]);

      const moved = await api.post("registered-models/alias", {
        name: "flight-delay",
        alias: "champion",
        version: "2",
      });
      expect(moved.status).toBe(200);
      const history = await api.get("registered-models/alias-history", {
        name: "flight-delay",
        alias: "champion",
      });
      expect(history.json.events.map((e: { to_version: string }) => e.to_version)).toEqual(["1", "2"]);

      const removed = await api.del("registered-models/alias", { name: "flight-delay", alias: "champion" });
      expect(removed.status).toBe(200);
      const missing = await api.get("registered-models/alias", { name: "flight-delay", alias: "champion" });
      expect(missing.status).toBe(404);
      expect(missing.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    });

    it("searches, updates and transitions model versions", async () => {
      const found = await api.get("model-versions/search", { filter: "name = 'flight-delay'" });
      expect(found.status).toBe(200);
      expect(found.json.model_versions.map((v: { version: string }) => v.version).sort()).toEqual(["1", "2"]);
      const byRun = await api.get("model-versions/search", { filter: `run_id = '${runId}'` });
      expect(byRun.json.model_versions.map((v: { version: string }) => v.version)).toEqual(["1"]);

      const updated = await api.patch("model-versions/update", {
        name: "flight-delay",
        version: "2",
        description: "challenger",
      });
      expect(updated.json.model_version.description).toBe("challenger");
      const staged = await api.post("model-versions/transition-stage", {
        name: "flight-delay",
        version: "2",
        stage: "production",
        archive_existing_versions: false,
      });
      expect(staged.status).toBe(200);
      expect(staged.json.model_version.current_stage).toBe("Production");
      const latest = await api.post("registered-models/get-latest-versions", {
        name: "flight-delay",
        stages: ["Production"],
      });
      expect(latest.json.model_versions.map((v: { version: string }) => v.version)).toEqual(["2"]);

      const uri = await api.get("model-versions/get-download-uri", { name: "flight-delay", version: "1" });
      expect(uri.json.artifact_uri).toBe(`${runArtifactUri.replace(/\/+$/, "")}/model`);

      const tagged = await api.post("model-versions/set-tag", {
        name: "flight-delay",
        version: "1",
        key: "validated",
        value: "yes",
      });
      expect(tagged.status).toBe(200);
      const v1 = await api.get("model-versions/get", { name: "flight-delay", version: "1" });
      expect(v1.json.model_version.tags).toEqual([{ key: "validated", value: "yes" }]);

      const models = await api.get("registered-models/search", { filter: "name LIKE 'flight%'" });
      expect(models.json.registered_models.map((m: { name: string }) => m.name)).toEqual(["flight-delay"]);
      const renamed = await api.post("registered-models/rename", { name: "flight-delay", new_name: "delay" });
      expect(renamed.json.registered_model.name).toBe("delay");
      const patched = await api.patch("registered-models/update", { name: "delay", description: "v2" });
      expect(patched.json.registered_model.description).toBe("v2");
      const deletedVersion = await api.del("model-versions/delete", { name: "delay", version: "1" });
      expect(deletedVersion.status).toBe(200);
      const deletedModel = await api.del("registered-models/delete", { name: "delay" });
      expect(deletedModel.status).toBe(200);
      const gone = await api.get("registered-models/get", { name: "delay" });
      expect(gone.status).toBe(404);
    });

    it("serves the same API under /ajax-api, and deletes and restores runs", async () => {
      const viaAjax = await api.send("GET", `/ajax-api/2.0/mlflow/runs/get?run_id=${runId}`);
      expect(viaAjax.status).toBe(200);
      expect(viaAjax.json.run.info.run_id).toBe(runId);
      expect((await api.post("runs/delete", { run_id: runId })).status).toBe(200);
      const deleted = await api.get("runs/get", { run_id: runId });
      expect(deleted.json.run.info.lifecycle_stage).toBe("deleted");
      expect((await api.post("runs/restore", { run_id: runId })).status).toBe(200);
      expect((await api.post("experiments/delete", { experiment_id: experimentId })).status).toBe(200);
      expect((await api.post("experiments/restore", { experiment_id: experimentId })).status).toBe(200);
      const renamed = await api.post("experiments/update", {
        experiment_id: experimentId,
        new_name: "delays",
      });
      expect(renamed.status).toBe(200);
      const got = await api.get("experiments/get", { experiment_id: experimentId });
      expect(got.json.experiment).toMatchObject({ name: "delays", lifecycle_stage: "active" });
    });

    it("exposes Prometheus metrics and an OpenAPI document", async () => {
      const metrics = await api.send("GET", "/metrics");
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(
        /keel_http_requests_total\{method="POST",route="\/api\/2\.0\/mlflow\/runs\/log-batch",status="200"\} 1/,
      );
      expect(metrics.text).toContain("keel_http_request_duration_seconds_bucket");
      const doc = await api.send("GET", "/openapi.json");
      expect(doc.status).toBe(200);
      expect(doc.json.openapi).toBe("3.0.3");
      const logBatch = doc.json.paths["/api/2.0/mlflow/runs/log-batch"].post;
      expect(logBatch.operationId).toBe("logBatch");
      expect(logBatch.requestBody.content["application/json"].schema.required).toEqual(["run_id"]);
      const search = doc.json.paths["/api/2.0/mlflow/experiments/search"].get;
      expect(search.parameters.map((p: { name: string }) => p.name)).toContain("order_by");
      expect(doc.json.paths["/api/2.0/mlflow-artifacts/artifacts/{path}"].put.operationId).toBe(
        "uploadArtifact",
      );
    });
  });
}
