/**
 * Dataset versions in remote mode: the REST store's six DatasetStore methods against a real
 * `keel server` give what the embedded store gives (read from the same database, and the same
 * scenario played on both), with the same error codes and messages, and idempotent creates.
 */

import { rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/server/start-server.js";
import type { NewDatasetVersion } from "../../src/store/dataset-store.js";
import type { MetadataStore } from "../../src/store/metadata-store.js";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import { openRestMetadataStore, RestMetadataStore } from "../../src/store/rest/rest-metadata-store.js";
import { keelErrorOf, startTestServer, TOKEN, tempDir } from "./helpers.js";

const D1 = "1".repeat(64);
const D2 = "2".repeat(64);
const D3 = "3".repeat(64);

/** A version as `keel data add` records it. */
function newVersion(name: string, digest: string, extra: Partial<NewDatasetVersion> = {}): NewDatasetVersion {
  return { name, digest, size: 100, fileCount: 1, path: `data/${name}.csv`, ...extra };
}

let dir: string;
let server: RunningServer;
let rest: RestMetadataStore;
let direct: MetadataStore;
let embeddedDir: string;
let embedded: MetadataStore;

beforeAll(async () => {
  dir = await tempDir();
  server = await startTestServer(dir);
  rest = await openRestMetadataStore(server.url, { token: TOKEN, maxRetries: 0 });
  direct = await openMetadataStore(join(dir, "server.db"));
  embeddedDir = await tempDir();
  embedded = await openMetadataStore(join(embeddedDir, "keel.db"));
});

afterAll(async () => {
  await direct?.close();
  await embedded?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
  await rm(embeddedDir, { recursive: true, force: true });
});

describe("RestMetadataStore: dataset versions", () => {
  it("reads versions, summaries and lineage exactly as the embedded store does", async () => {
    const v1 = await rest.createDatasetVersion(
      newVersion("weather", D1, {
        schema: '{"columns":[{"name":"date","type":"DATE"}]}',
        profile: '{"rows":1461}',
        gitCommit: "0123abcd",
        description: "first",
        userId: "ada",
      }),
    );
    expect(v1).toEqual(await direct.getDatasetVersion("weather", 1));
    const v2 = await rest.createDatasetVersion(newVersion("weather", D2));
    expect(v2.version).toBe(2);
    expect(v2.schema).toBeUndefined();
    await rest.createDatasetVersion(newVersion("images", D3, { fileCount: 3, path: "data/images" }));

    expect(await rest.getDatasetVersion("weather", 1)).toEqual(await direct.getDatasetVersion("weather", 1));
    expect(await rest.getLatestDatasetVersion("weather")).toEqual(
      await direct.getLatestDatasetVersion("weather"),
    );
    expect(await rest.listDatasetVersions("weather")).toEqual(await direct.listDatasetVersions("weather"));
    expect(await rest.listDatasetVersions("unknown")).toEqual([]);
    expect(await rest.listDatasets()).toEqual(await direct.listDatasets());
    expect((await rest.listDatasets()).map((s) => [s.name, s.latestVersion, s.versionCount])).toEqual([
      ["images", 1, 1],
      ["weather", 2, 2],
    ]);

    // Lineage: a nested run logs weather@2; its model version shows up too.
    const expId = await rest.createExperiment("dataset-lineage");
    const parent = await rest.createRun({ experimentId: expId, runName: "search", startTime: 1 });
    const trial = await rest.createRun({
      experimentId: expId,
      runName: "trial",
      startTime: 2,
      parentRunId: parent.info.runId,
    });
    await rest.logInputs(trial.info.runId, [
      {
        dataset: {
          name: "weather",
          digest: D2,
          sourceType: "keel",
          source: "keel-dataset:weather@2",
          version: 2,
        },
        tags: [{ key: "mlflow.data.context", value: "train" }],
      },
    ]);
    await rest.createRegisteredModel("weather-model");
    await rest.createModelVersion({ name: "weather-model", source: "file:///m", runId: trial.info.runId });

    const usage = await rest.findDatasetUsage("weather", 2);
    expect(usage).toEqual(await direct.findDatasetUsage("weather", 2));
    expect(usage.runs.map((r) => [r.runId, r.parentRunId])).toEqual([[trial.info.runId, parent.info.runId]]);
    expect(usage.modelVersions.map((m) => [m.name, m.version])).toEqual([["weather-model", "1"]]);
    expect(await rest.findDatasetUsage("weather", 1)).toEqual({ runs: [], modelVersions: [] });
  });

  it("creates idempotently: same digest and path give the same version back", async () => {
    const first = await rest.createDatasetVersion(newVersion("idem", D1));
    expect(await rest.createDatasetVersion(newVersion("idem", D1))).toEqual(first);
    // The same content at another path is a new version, as embedded.
    const moved = await rest.createDatasetVersion(newVersion("idem", D1, { path: "data/moved.csv" }));
    expect(moved.version).toBe(2);
    expect(await rest.listDatasetVersions("idem")).toEqual(await direct.listDatasetVersions("idem"));
  });

  it("gives the same results as an embedded store for the same calls", async () => {
    /** One scenario, with times left out (they are the moments each store ran it). */
    const play = async (store: MetadataStore) => {
      const out: unknown[] = [];
      const strip = <T extends { createdAt: number }>({ createdAt: _c, ...rest }: T) => rest;
      out.push(strip(await store.createDatasetVersion(newVersion("cross", D1, { description: "d" }))));
      out.push(strip(await store.createDatasetVersion(newVersion("cross", D1, { description: "again" }))));
      out.push(strip(await store.createDatasetVersion(newVersion("cross", D2, { fileCount: 0, size: 0 }))));
      out.push(strip(await store.getDatasetVersion("cross", 1)));
      out.push(strip(await store.getLatestDatasetVersion("cross")));
      out.push((await store.listDatasetVersions("cross")).map(strip));
      out.push(
        (await store.listDatasets()).filter((s) => s.name === "cross").map(({ updatedAt: _u, ...s }) => s),
      );
      out.push(await store.findDatasetUsage("cross", 2));
      return out;
    };
    expect(await play(rest)).toEqual(await play(embedded));
  });

  it("keeps the embedded store's codes and messages", async () => {
    await rest.createDatasetVersion(newVersion("errs", D1));
    await embedded.createDatasetVersion(newVersion("errs", D1));
    const cases: [string, (s: MetadataStore) => Promise<unknown>, string][] = [
      ["unknown version", (s) => s.getDatasetVersion("errs", 7), "RESOURCE_DOES_NOT_EXIST"],
      ["unknown name", (s) => s.getDatasetVersion("never-added", 1), "RESOURCE_DOES_NOT_EXIST"],
      ["unknown latest", (s) => s.getLatestDatasetVersion("never-added"), "RESOURCE_DOES_NOT_EXIST"],
      ["unknown usage", (s) => s.findDatasetUsage("never-added", 3), "RESOURCE_DOES_NOT_EXIST"],
      ["version 0", (s) => s.getDatasetVersion("errs", 0), "INVALID_PARAMETER_VALUE"],
      ["negative version", (s) => s.findDatasetUsage("errs", -2), "INVALID_PARAMETER_VALUE"],
      ["fractional version", (s) => s.getDatasetVersion("errs", 1.5), "INVALID_PARAMETER_VALUE"],
      ["bad name", (s) => s.createDatasetVersion(newVersion("no/slash", D1)), "INVALID_PARAMETER_VALUE"],
      [
        "negative size",
        (s) => s.createDatasetVersion(newVersion("errs", D2, { size: -1 })),
        "INVALID_PARAMETER_VALUE",
      ],
      [
        "no path",
        (s) => s.createDatasetVersion(newVersion("errs", D2, { path: "" })),
        "INVALID_PARAMETER_VALUE",
      ],
    ];
    for (const [what, call, code] of cases) {
      const remote = await keelErrorOf(call(rest));
      const local = await keelErrorOf(call(embedded));
      expect({ what, code: remote.code, message: remote.message }).toEqual({
        what,
        code,
        message: local.message,
      });
    }
    const unknown = await keelErrorOf(rest.getDatasetVersion("never-added", 1));
    expect(unknown.message).toContain("never-added@1");
    // NaN cannot travel as JSON; the code is still the embedded one.
    expect((await keelErrorOf(rest.getDatasetVersion("errs", Number.NaN))).code).toBe(
      "INVALID_PARAMETER_VALUE",
    );
    expect((await keelErrorOf(embedded.getDatasetVersion("errs", Number.NaN))).code).toBe(
      "INVALID_PARAMETER_VALUE",
    );
  });

  it("needs the server's token", async () => {
    const anonymous = new RestMetadataStore({ baseUrl: server.url, token: "wrong", maxRetries: 0 });
    expect((await keelErrorOf(anonymous.listDatasets())).code).toBe("UNAUTHENTICATED");
  });

  it("says dataset versions need a keel server when the server lacks Keel's API", async () => {
    // What an MLflow server answers for a path it does not know: an HTML 404.
    const mlflowLike: Server = createServer((_req, res) => {
      res.writeHead(404, { "Content-Type": "text/html" });
      res.end("<!doctype html><title>404 Not Found</title>");
    });
    await new Promise<void>((resolve) => mlflowLike.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(mlflowLike.address() as AddressInfo).port}`;
      const store = new RestMetadataStore({ baseUrl: url, maxRetries: 0 });
      const err = await keelErrorOf(store.listDatasetVersions("weather"));
      expect(err.code).toBe("ENDPOINT_NOT_FOUND");
      expect(err.message).toContain(`${url} does not serve Keel's dataset API`);
      expect(err.message).toContain("need a keel server");
    } finally {
      await new Promise((resolve) => mlflowLike.close(resolve));
    }
  });
});
