/**
 * Keel's own remote mode against the real server: the REST metadata store and the proxy artifact
 * store (store/rest) talk to `keel server`, so both sides of the wire agree.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProxyArtifactStore } from "../../src/store/rest/proxy-artifact-store.js";
import { openRestMetadataStore, type RestMetadataStore } from "../../src/store/rest/rest-metadata-store.js";
import { startTestServer, type TestServer } from "./harness.js";

describe("REST store against keel server", () => {
  let server: TestServer;
  let remote: RestMetadataStore;

  beforeAll(async () => {
    server = await startTestServer();
    remote = await openRestMetadataStore(server.url, { token: "", maxRetries: 0 });
  });
  afterAll(async () => {
    await remote?.close();
    await server?.close();
  });

  it("round-trips experiments, runs, metrics (NaN included), inputs and searches", async () => {
    const experimentId = await remote.createExperiment("remote", undefined, [{ key: "k", value: "v" }]);
    const run = await remote.createRun({ experimentId, runName: "r", startTime: 10 });
    await remote.logBatch(run.info.runId, {
      metrics: [
        { key: "loss", value: Number.NaN, timestamp: 11, step: 0 },
        { key: "loss", value: 0.25, timestamp: 12, step: 1 },
        { key: "inf", value: Number.POSITIVE_INFINITY, timestamp: 12, step: 0 },
      ],
      params: [{ key: "lr", value: "0.1" }],
      tags: [{ key: "t", value: "1" }],
    });
    await remote.logInputs(run.info.runId, [
      {
        dataset: { name: "flights", digest: "d1", sourceType: "local", source: "data.parquet", version: 3 },
        tags: [],
      },
    ]);
    const history = await remote.getMetricHistory(run.info.runId, "loss");
    expect(history.items.map((m) => m.value)).toEqual([Number.NaN, 0.25]);
    const got = await remote.getRun(run.info.runId);
    expect(got.data.metrics.find((m) => m.key === "inf")?.value).toBe(Number.POSITIVE_INFINITY);
    expect(got.data.params).toEqual([{ key: "lr", value: "0.1" }]);
    expect(got.inputs.datasetInputs[0]?.dataset).toMatchObject({ name: "flights", version: 3 });
    const page = await remote.searchRuns({ experimentIds: [experimentId], filter: "params.lr = '0.1'" });
    expect(page.items.map((r) => r.info.runId)).toEqual([run.info.runId]);
    const info = await remote.updateRun(run.info.runId, { status: "FINISHED", endTime: 20 });
    expect(info).toMatchObject({ status: "FINISHED", endTime: 20 });
    expect(await remote.getExperimentByName("missing")).toBeNull();
  });

  it("round-trips the registry, alias history included", async () => {
    await remote.createRegisteredModel("m");
    await remote.createModelVersion({ name: "m", source: "mlflow-artifacts:/x/model" });
    await remote.createModelVersion({ name: "m", source: "mlflow-artifacts:/y/model" });
    await remote.setRegisteredModelAlias("m", "champion", "1");
    await remote.setRegisteredModelAlias("m", "champion", "2");
    expect((await remote.getModelVersionByAlias("m", "champion")).version).toBe("2");
    const events = await remote.getAliasHistory("m", "champion");
    expect(events.map((e) => [e.fromVersion, e.toVersion])).toEqual([
      [null, "1"],
      ["1", "2"],
    ]);
    await remote.deleteRegisteredModelAlias("m", "champion");
    expect((await remote.getRegisteredModel("m")).aliases).toEqual([]);
  });

  it("moves artifact bytes through the proxy", async () => {
    const experimentId = await remote.createExperiment("remote-artifacts");
    const run = await remote.createRun({ experimentId });
    expect(run.info.artifactUri.startsWith("mlflow-artifacts:/")).toBe(true);
    const artifacts = openProxyArtifactStore(run.info.artifactUri, server.url, { token: "", maxRetries: 0 });
    await artifacts.put("model/model.json", Buffer.from('{"a": 1}'));
    expect(await artifacts.list("model")).toEqual([{ path: "model/model.json", isDir: false, fileSize: 8 }]);
    const bytes = Buffer.concat((await (await artifacts.get("model/model.json")).toArray()) as Buffer[]);
    expect(bytes.toString()).toBe('{"a": 1}');
    expect(await artifacts.stat("model")).toMatchObject({ isDir: true });
  });
});
