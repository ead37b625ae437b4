/**
 * DatasetStore on SQLite and PostgreSQL (real databases), and lineage through the tracker:
 * `run.logInput(await datasetInputFromRef(store, "NAME@N"))` makes `findDatasetUsage` answer.
 */
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addData } from "../../src/data/versioning/add-data.js";
import { datasetInputFromRef } from "../../src/data/versioning/dataset-input.js";
import { isKeelError } from "../../src/errors.js";
import type { NewDatasetVersion } from "../../src/store/dataset-store.js";
import type { MetadataStore } from "../../src/store/metadata-store.js";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import { Tracker } from "../../src/track/tracker.js";
import { type PostgresHandle, startPostgres } from "../support/postgres.js";
import { makeTempDir } from "../support/temp-dir.js";
import { makeProject, WEATHER_CSV } from "./project.js";

const digest = (c: string) => c.repeat(64);
const version = (over: Partial<NewDatasetVersion> = {}): NewDatasetVersion => ({
  name: "weather",
  digest: digest("a"),
  size: 100,
  fileCount: 1,
  path: "data/weather.csv",
  ...over,
});

let postgres: PostgresHandle | undefined;
const temp = makeTempDir("keel-dv-store");
beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
  temp.cleanup();
}, 60_000);

let sqliteCount = 0;
/** Backend name and a factory of fresh, empty databases (by URI). */
const backends: [string, () => Promise<string>][] = [
  ["SQLite", async () => join(temp.dir, `s${sqliteCount++}.db`)],
  [
    "PostgreSQL",
    async () => {
      if (!postgres) throw new Error("PostgreSQL did not start; see the beforeAll error");
      return postgres.createDatabase();
    },
  ],
];

describe.each(backends)("DatasetStore on %s", (_name, freshDatabase) => {
  const open = async () => openMetadataStore(await freshDatabase());

  it("numbers versions per name, is idempotent for unchanged content, and lists them", async () => {
    const store = await open();
    try {
      const v1 = await store.createDatasetVersion(
        version({ schema: '{"columns":[]}', gitCommit: "abc", userId: "ana" }),
      );
      expect(v1).toMatchObject({
        name: "weather",
        version: 1,
        digest: digest("a"),
        schema: '{"columns":[]}',
        gitCommit: "abc",
        userId: "ana",
      });
      expect(v1.createdAt).toBeGreaterThan(0);
      expect(await store.createDatasetVersion(version())).toMatchObject({ version: 1, userId: "ana" });
      expect((await store.createDatasetVersion(version({ digest: digest("b") }))).version).toBe(2);
      // Same digest at another path is a new version; going back to old content is too.
      expect(
        (await store.createDatasetVersion(version({ digest: digest("b"), path: "data/w.csv" }))).version,
      ).toBe(3);
      expect((await store.createDatasetVersion(version({ digest: digest("a") }))).version).toBe(4);
      await store.createDatasetVersion(
        version({ name: "images", digest: digest("c"), fileCount: 10, size: 0 }),
      );

      expect((await store.listDatasetVersions("weather")).map((v) => v.version)).toEqual([1, 2, 3, 4]);
      expect(await store.listDatasetVersions("nothing")).toEqual([]);
      expect((await store.getLatestDatasetVersion("weather")).version).toBe(4);
      expect(await store.getDatasetVersion("weather", 2)).toMatchObject({
        digest: digest("b"),
        schema: undefined,
      });
      expect((await store.listDatasets()).map((d) => [d.name, d.latestVersion, d.versionCount])).toEqual([
        ["images", 1, 1],
        ["weather", 4, 4],
      ]);
    } finally {
      await store.close();
    }
  });

  it("names what is missing and rejects invalid versions", async () => {
    const store = await open();
    try {
      await store.createDatasetVersion(version());
      const e = await store.getDatasetVersion("weather", 99).catch((x: unknown) => x);
      expect(isKeelError(e) && e.code).toBe("RESOURCE_DOES_NOT_EXIST");
      expect((e as Error).message).toMatch(/weather@99 not found: the latest is weather@1/);
      await expect(store.getLatestDatasetVersion("nope")).rejects.toThrow(/Dataset 'nope' has no versions/);
      await expect(store.createDatasetVersion(version({ name: "bad@name" }))).rejects.toThrow(
        /Invalid dataset name 'bad@name'/,
      );
      await expect(store.createDatasetVersion(version({ size: -1 }))).rejects.toThrow(
        /size must be an integer >= 0/,
      );
      await expect(store.createDatasetVersion(version({ digest: "" }))).rejects.toThrow(/needs a digest/);
    } finally {
      await store.close();
    }
  });

  it("gives concurrent creators distinct, gap-free version numbers", async () => {
    // Two stores on one database, ten writers of one name at once.
    const uri = await freshDatabase();
    const first = await openMetadataStore(uri);
    const stores = [first, await openMetadataStore(uri)];
    try {
      const created = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (stores[i % 2] as MetadataStore).createDatasetVersion(version({ digest: digest(i.toString(16)) })),
        ),
      );
      expect(created.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it("finds the runs and model versions that used a version", async () => {
    const store = await open();
    try {
      const v1 = await store.createDatasetVersion(version());
      const v2 = await store.createDatasetVersion(version({ digest: digest("b") }));
      const ds = (v: typeof v1) => ({
        dataset: {
          name: v.name,
          digest: v.digest,
          sourceType: "keel",
          source: `keel-dataset:weather@${v.version}`,
          version: v.version,
        },
        tags: [{ key: "mlflow.data.context", value: "train" }],
      });
      const r1 = await store.createRun({ experimentId: "0", runName: "on-v1" });
      const r2 = await store.createRun({ experimentId: "0", runName: "on-v2" });
      await store.logInputs(r1.info.runId, [ds(v1)]);
      await store.logInputs(r2.info.runId, [ds(v2)]);
      await store.createRegisteredModel("weather-model");
      await store.createModelVersion({
        name: "weather-model",
        source: "runs:/x/model",
        runId: r1.info.runId,
      });
      const usage = await store.findDatasetUsage("weather", 1);
      expect(usage.runs.map((r) => r.runName)).toEqual(["on-v1"]);
      expect(usage.modelVersions.map((m) => [m.name, m.version, m.runId])).toEqual([
        ["weather-model", "1", r1.info.runId],
      ]);
      expect((await store.findDatasetUsage("weather", 2)).modelVersions).toEqual([]);
      await expect(store.findDatasetUsage("weather", 3)).rejects.toThrow(/weather@3 not found/);
    } finally {
      await store.close();
    }
  });
});

describe("lineage through the tracker", () => {
  it("records NAME@N and tracked paths as run inputs that findDatasetUsage answers for", async () => {
    const p = await makeProject();
    const tracker = await Tracker.open({ cwd: p.root, store: p.store, handleProcessExit: false });
    try {
      copyFileSync(WEATHER_CSV, p.path("data/weather.csv"));
      await addData(p.ws, p.store, "data/weather.csv", { cwd: p.root });

      const byRef = await datasetInputFromRef(p.store, "weather@latest");
      expect(byRef).toMatchObject({
        name: "weather",
        version: 1,
        sourceType: "keel",
        source: "keel-dataset:weather@1",
      });
      expect(JSON.parse(byRef.profile ?? "{}").rowCount).toBe(1461);
      const byPath = await datasetInputFromRef(p.store, "data/weather.csv", { workspace: p.ws, cwd: p.root });
      expect(byPath).toMatchObject({
        name: "weather",
        version: 1,
        digest: byRef.digest,
        source: "data/weather.csv",
      });
      writeFileSync(p.path("data/scratch.txt"), "not tracked");
      const untracked = await datasetInputFromRef(p.store, "data/scratch.txt", {
        workspace: p.ws,
        cwd: p.root,
      });
      expect(untracked).toMatchObject({ name: "scratch", source: "data/scratch.txt" });
      expect(untracked.version).toBeUndefined();
      await expect(datasetInputFromRef(p.store, "weather@7")).rejects.toThrow(/weather@7 not found/);

      const run = await tracker.startRun({ runName: "train" });
      await run.logInput(byRef, "train");
      await run.end();
      const other = await tracker.startRun({ runName: "unrelated" });
      await other.end();
      const usage = await p.store.findDatasetUsage("weather", 1);
      expect(usage.runs.map((r) => r.runId)).toEqual([run.id]);
    } finally {
      await tracker.close();
      await p.close();
    }
  });
});
