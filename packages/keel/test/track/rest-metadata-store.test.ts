/**
 * The REST store against a real `keel server`: entities read over MLflow's wire format equal the
 * ones read from the same database in-process, errors keep their codes and messages, and
 * transient failures (refused connections, 503s, timeouts) are retried only where safe.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/server/start-server.js";
import type { MetadataStore } from "../../src/store/metadata-store.js";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import { openRestMetadataStore, RestMetadataStore } from "../../src/store/rest/rest-metadata-store.js";
import { keelErrorOf, startTestServer, TOKEN, tempDir } from "./helpers.js";

let dir: string;
let server: RunningServer;
let rest: RestMetadataStore;
let direct: MetadataStore;

beforeAll(async () => {
  dir = await tempDir();
  server = await startTestServer(dir);
  rest = await openRestMetadataStore(server.url, { token: TOKEN });
  direct = await openMetadataStore(join(dir, "server.db"));
});

afterAll(async () => {
  await direct.close();
  await server.close();
});

describe("RestMetadataStore: wire format", () => {
  it("reads experiments, runs and metric history exactly as the embedded store does", async () => {
    const expId = await rest.createExperiment("wire", undefined, [{ key: "team", value: "fraud" }]);
    await rest.setExperimentTag(expId, { key: "owner", value: "ada" });
    expect(await rest.getExperiment(expId)).toEqual(await direct.getExperiment(expId));
    expect(await rest.getExperimentByName("wire")).toEqual(await direct.getExperimentByName("wire"));
    expect(await rest.getExperimentByName("no such experiment")).toBeNull();

    const parent = await rest.createRun({ experimentId: expId, runName: "parent", startTime: 1000 });
    const run = await rest.createRun({
      experimentId: expId,
      runName: "child",
      userId: "ada",
      startTime: 2000,
      tags: [{ key: "k", value: "v" }],
      parentRunId: parent.info.runId,
    });
    expect(run.info.parentRunId).toBe(parent.info.runId);
    await rest.logBatch(run.info.runId, {
      params: [{ key: "lr", value: "0.1" }],
      tags: [{ key: "t", value: "1" }],
      metrics: [
        { key: "loss", value: 0.5, timestamp: 10, step: 0 },
        { key: "loss", value: Number.NaN, timestamp: 11, step: 1 },
        { key: "gain", value: Number.POSITIVE_INFINITY, timestamp: 12, step: 0 },
        { key: "drop", value: Number.NEGATIVE_INFINITY, timestamp: 12, step: 0 },
      ],
    });
    await rest.logInputs(run.info.runId, [
      {
        dataset: { name: "d", digest: "x1", sourceType: "local", source: "a.csv", profile: '{"rows":3}' },
        tags: [{ key: "mlflow.data.context", value: "train" }],
      },
    ]);
    const info = await rest.updateRun(run.info.runId, {
      status: "FINISHED",
      endTime: 3000,
      runName: "renamed",
    });
    expect(info).toEqual((await direct.getRun(run.info.runId)).info);
    expect(info.parentRunId).toBe(parent.info.runId);

    expect(await rest.getRun(run.info.runId)).toEqual(await direct.getRun(run.info.runId));
    const history = await rest.getMetricHistory(run.info.runId, "loss");
    expect(history).toEqual(await direct.getMetricHistory(run.info.runId, "loss"));
    expect(Number.isNaN(history.items[1]?.value)).toBe(true);

    const search = {
      experimentIds: [expId],
      filter: "params.lr = '0.1'",
      orderBy: ["attributes.start_time DESC"],
    };
    expect(await rest.searchRuns(search)).toEqual(await direct.searchRuns(search));
    const page1 = await rest.searchRuns({ experimentIds: [expId], maxResults: 1 });
    expect(page1.items).toHaveLength(1);
    expect(page1.nextPageToken).toBeTruthy();
    const page2 = await rest.searchRuns({
      experimentIds: [expId],
      maxResults: 1,
      pageToken: page1.nextPageToken,
    });
    expect(page2.items[0]?.info.runId).not.toBe(page1.items[0]?.info.runId);

    await rest.deleteTag(run.info.runId, "t");
    expect((await direct.getRun(run.info.runId)).data.tags.some((t) => t.key === "t")).toBe(false);
    await rest.deleteRun(run.info.runId);
    expect((await direct.getRun(run.info.runId)).info.lifecycleStage).toBe("deleted");
    await rest.restoreRun(run.info.runId);
    expect((await direct.getRun(run.info.runId)).info.lifecycleStage).toBe("active");

    await rest.renameExperiment(expId, "wire-2");
    const listed = await rest.searchExperiments({ filter: "name = 'wire-2'" });
    expect(listed).toEqual(await direct.searchExperiments({ filter: "name = 'wire-2'" }));
    await rest.deleteExperiment(expId);
    expect((await direct.getExperiment(expId)).lifecycleStage).toBe("deleted");
    await rest.restoreExperiment(expId);
    expect((await direct.getExperiment(expId)).lifecycleStage).toBe("active");
  });

  it("reads the model registry exactly as the embedded store does", async () => {
    const expId = await rest.createExperiment("registry-src");
    const run = await rest.createRun({ experimentId: expId });
    const created = await rest.createRegisteredModel(
      "churn-model",
      [{ key: "domain", value: "telco" }],
      "first",
    );
    expect(created).toEqual(await direct.getRegisteredModel("churn-model"));
    const v1 = await rest.createModelVersion({
      name: "churn-model",
      source: `${run.info.artifactUri}/model`,
      runId: run.info.runId,
      description: "v1",
      tags: [{ key: "stage", value: "dev" }],
    });
    await rest.createModelVersion({ name: "churn-model", source: `${run.info.artifactUri}/model2` });
    expect(v1).toEqual(await direct.getModelVersion("churn-model", "1"));
    await rest.setRegisteredModelAlias("churn-model", "champion", "1");
    expect(await rest.getModelVersionByAlias("churn-model", "champion")).toEqual(
      await direct.getModelVersionByAlias("churn-model", "champion"),
    );
    await rest.setRegisteredModelTag("churn-model", { key: "owner", value: "ada" });
    await rest.setModelVersionTag("churn-model", "2", { key: "ok", value: "yes" });
    await rest.updateRegisteredModel("churn-model", "second");
    await rest.updateModelVersion("churn-model", "2", "v2");
    await rest.transitionModelVersionStage("churn-model", "2", "Staging", false);
    expect(await rest.getRegisteredModel("churn-model")).toEqual(
      await direct.getRegisteredModel("churn-model"),
    );
    expect(await rest.getLatestVersions("churn-model")).toEqual(
      await direct.getLatestVersions("churn-model"),
    );
    expect(await rest.getLatestVersions("churn-model", ["Staging"])).toEqual(
      await direct.getLatestVersions("churn-model", ["Staging"]),
    );
    const versions = { filter: "name = 'churn-model'", orderBy: ["version_number DESC"] };
    expect(await rest.searchModelVersions(versions)).toEqual(await direct.searchModelVersions(versions));
    expect(await rest.searchRegisteredModels({ filter: "name LIKE 'churn%'" })).toEqual(
      await direct.searchRegisteredModels({ filter: "name LIKE 'churn%'" }),
    );
    await rest.deleteModelVersionTag("churn-model", "2", "ok");
    await rest.deleteRegisteredModelTag("churn-model", "owner");
    await rest.deleteRegisteredModelAlias("churn-model", "champion");
    expect((await keelErrorOf(rest.getModelVersionByAlias("churn-model", "champion"))).code).toBe(
      "RESOURCE_DOES_NOT_EXIST",
    );
    const renamed = await rest.renameRegisteredModel("churn-model", "churn-model-2");
    expect(renamed.name).toBe("churn-model-2");
    await rest.deleteModelVersion("churn-model-2", "2");
    expect((await keelErrorOf(direct.getModelVersion("churn-model-2", "2"))).code).toBe(
      "RESOURCE_DOES_NOT_EXIST",
    );
    await rest.deleteRegisteredModel("churn-model-2");
    expect((await keelErrorOf(direct.getRegisteredModel("churn-model-2"))).code).toBe(
      "RESOURCE_DOES_NOT_EXIST",
    );
  });
});

describe("RestMetadataStore: errors", () => {
  it("keeps the embedded store's codes and messages", async () => {
    const expId = await direct.createExperiment("errors");
    const run = await direct.createRun({ experimentId: expId });
    await direct.logBatch(run.info.runId, { params: [{ key: "p", value: "1" }] });
    const unknownRun = "f".repeat(32);
    const cases: [string, (s: MetadataStore) => Promise<unknown>][] = [
      ["unknown run", (s) => s.getRun(unknownRun)],
      ["param overwrite", (s) => s.logBatch(run.info.runId, { params: [{ key: "p", value: "2" }] })],
      ["duplicate experiment", (s) => s.createExperiment("errors")],
      ["unknown experiment", (s) => s.getExperiment("987654")],
      ["unknown model", (s) => s.getRegisteredModel("nope")],
      [
        "bad metric name",
        (s) => s.logBatch(run.info.runId, { metrics: [{ key: "a!", value: 1, timestamp: 1, step: 0 }] }),
      ],
    ];
    for (const [what, call] of cases) {
      const remote = await keelErrorOf(call(rest));
      const local = await keelErrorOf(call(direct));
      expect({ what, code: remote.code, message: remote.message }).toEqual({
        what,
        code: local.code,
        message: local.message,
      });
    }
    expect((await keelErrorOf(rest.getRun(unknownRun))).code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect(
      (await keelErrorOf(rest.logBatch(run.info.runId, { params: [{ key: "p", value: "2" }] }))).code,
    ).toBe("INVALID_PARAMETER_VALUE");
  });

  it("answers UNAUTHENTICATED without the server's token", async () => {
    const anonymous = new RestMetadataStore({ baseUrl: server.url, token: "wrong" });
    const err = await keelErrorOf(anonymous.getExperiment("0"));
    expect(err.code).toBe("UNAUTHENTICATED");
  });

  it("refuses tracking URIs that are not server URLs", async () => {
    for (const uri of ["ftp://host/x", "not a url", "http://", "http://h:1/?q=1"]) {
      expect((await keelErrorOf(openRestMetadataStore(uri))).code).toBe("INVALID_PARAMETER_VALUE");
    }
  });

  it("names the server and the fix when nothing listens", async () => {
    const port = await freePort();
    const store = new RestMetadataStore({
      baseUrl: `http://127.0.0.1:${port}`,
      maxRetries: 1,
      backoffMs: 10,
    });
    const err = await keelErrorOf(store.getExperiment("0"));
    expect(err.code).toBe("TEMPORARILY_UNAVAILABLE");
    expect(err.message).toContain(`http://127.0.0.1:${port}`);
    expect(err.message).toContain("keel server");
  });
});

describe("RestMetadataStore: retries", () => {
  it("retries a refused connection until the server comes up", async () => {
    const lateDir = await tempDir();
    const port = await freePort();
    const store = new RestMetadataStore({
      baseUrl: `http://127.0.0.1:${port}`,
      token: TOKEN,
      backoffMs: 100,
    });
    let late: RunningServer | undefined;
    const starting = new Promise<void>((resolve) =>
      setTimeout(async () => {
        late = await startTestServer(lateDir, port);
        resolve();
      }, 300),
    );
    // createExperiment is not idempotent, but a refused connection never reached the server.
    const id = await store.createExperiment("late");
    await starting;
    expect((await store.getExperiment(id)).name).toBe("late");
    await late?.close();
  });

  it("retries 503 for idempotent calls only, honouring Retry-After", async () => {
    const proxy = await faultProxy(server.url, { fail503: 2 });
    try {
      const store = new RestMetadataStore({ baseUrl: proxy.url, token: TOKEN, backoffMs: 1000 });
      const started = Date.now();
      expect((await store.getExperiment("0")).experimentId).toBe("0");
      expect(proxy.requests()).toBe(3);
      expect(Date.now() - started).toBeLessThan(1000); // Retry-After: 0 beat the 1 s backoff

      proxy.reset({ fail503: 1 });
      const err = await keelErrorOf(store.createRun({ experimentId: "0" }));
      expect(err.code).toBe("TEMPORARILY_UNAVAILABLE");
      expect(proxy.requests()).toBe(1);

      // logBatch with metrics is not retried (a replay would log them twice); params and tags are.
      proxy.reset({ fail503: 0 });
      const created = await store.createRun({ experimentId: "0" });
      proxy.reset({ fail503: 1 });
      const metricErr = await keelErrorOf(
        store.logBatch(created.info.runId, { metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }] }),
      );
      expect(metricErr.code).toBe("TEMPORARILY_UNAVAILABLE");
      proxy.reset({ fail503: 1 });
      await store.logBatch(created.info.runId, { params: [{ key: "p", value: "1" }] });
      expect(proxy.requests()).toBe(2);
    } finally {
      await proxy.close();
    }
  });

  it("times out a silent server and retries an idempotent call", async () => {
    const proxy = await faultProxy(server.url, { hang: 1 });
    try {
      const store = new RestMetadataStore({
        baseUrl: proxy.url,
        token: TOKEN,
        timeoutMs: 300,
        backoffMs: 10,
      });
      expect((await store.getExperiment("0")).experimentId).toBe("0");
      expect(proxy.requests()).toBe(2);

      proxy.reset({ hang: 1 });
      const err = await keelErrorOf(
        new RestMetadataStore({ baseUrl: proxy.url, token: TOKEN, timeoutMs: 300 }).createExperiment("slow"),
      );
      expect(err.code).toBe("TEMPORARILY_UNAVAILABLE");
      expect(err.message).toContain("timeout");
    } finally {
      await proxy.close();
    }
  });
});

/** A port nothing listens on (briefly bound, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** What the fault proxy injects, per reset. */
interface Faults {
  /** Answer this many requests with 503 (Retry-After: 0) before forwarding. */
  fail503?: number;
  /** Never answer this many requests. */
  hang?: number;
}

/**
 * A forwarding proxy on 127.0.0.1 in front of the real server that injects failures, the way a
 * load balancer in trouble would; everything it does not fail reaches the real server.
 */
async function faultProxy(upstream: string, initial: Faults) {
  let faults = { fail503: 0, hang: 0, ...initial };
  let count = 0;
  const hung: ServerResponse[] = [];
  const proxy: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    count++;
    if (faults.hang > 0) {
      faults.hang--;
      hung.push(res);
      return;
    }
    if (faults.fail503 > 0) {
      faults.fail503--;
      res.writeHead(503, { "Content-Type": "application/json", "Retry-After": "0" });
      res.end(JSON.stringify({ error_code: "TEMPORARILY_UNAVAILABLE", message: "injected 503" }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === "string" && k !== "host") headers[k] = v;
    const answer = await fetch(`${upstream}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    res.writeHead(answer.status, {
      "Content-Type": answer.headers.get("content-type") ?? "application/json",
    });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    reset(next: Faults) {
      faults = { fail503: 0, hang: 0, ...next };
      count = 0;
    },
    async close() {
      for (const res of hung) res.destroy();
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
