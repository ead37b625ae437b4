/** Contract: runs, params, metrics, tags and dataset inputs. */
import { describe, expect, it } from "vitest";
import type { Metric } from "../../src/store/entities.js";
import { allPages, expectKeelError, type OpenStore, useStore } from "./contract-support.js";

const metric = (key: string, value: number, step: number, timestamp = 1000): Metric => ({
  key,
  value,
  step,
  timestamp,
});

/** Run tests for any MetadataStore. */
export function defineRunContract(openStore: OpenStore): void {
  describe("runs", () => {
    const store = useStore(openStore);

    it("creates RUNNING runs with hex ids, generated names mirrored as tags, and artifact URIs", async () => {
      const expId = await store().createExperiment("runs");
      const exp = await store().getExperiment(expId);
      const run = await store().createRun({ experimentId: expId, userId: "ana", startTime: 1234 });
      expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
      expect(run.info).toMatchObject({
        experimentId: expId,
        userId: "ana",
        status: "RUNNING",
        startTime: 1234,
        endTime: null,
        lifecycleStage: "active",
        parentRunId: null,
        artifactUri: `${exp.artifactLocation}/${run.info.runId}/artifacts`,
      });
      expect(run.info.runName).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
      expect(run.data.tags).toContainEqual({ key: "mlflow.runName", value: run.info.runName });
      expect(run.data.metrics).toEqual([]);
      expect(run.data.params).toEqual([]);
      expect(run.inputs.datasetInputs).toEqual([]);
      expect(await store().getRun(run.info.runId)).toEqual(run);

      const named = await store().createRun({
        experimentId: expId,
        runName: "mine",
        tags: [{ key: "a", value: "b" }],
      });
      expect(named.info.runName).toBe("mine");
      expect(named.data.tags).toEqual([
        { key: "a", value: "b" },
        { key: "mlflow.runName", value: "mine" },
      ]);
      const fromTag = await store().createRun({
        experimentId: expId,
        tags: [{ key: "mlflow.runName", value: "tagged" }],
      });
      expect(fromTag.info.runName).toBe("tagged");
      await expectKeelError(
        store().createRun({
          experimentId: expId,
          runName: "x",
          tags: [{ key: "mlflow.runName", value: "y" }],
        }),
        "INVALID_PARAMETER_VALUE",
        "run_name",
      );
    });

    it("reports unknown experiments and runs as RESOURCE_DOES_NOT_EXIST", async () => {
      const missing = "0123456789abcdef0123456789abcdef";
      await expectKeelError(store().createRun({ experimentId: "987654" }), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(store().getRun(missing), "RESOURCE_DOES_NOT_EXIST", missing);
      await expectKeelError(store().updateRun(missing, { status: "FINISHED" }), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(store().deleteRun(missing), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(store().restoreRun(missing), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(
        store().logBatch(missing, { metrics: [metric("m", 1, 0)] }),
        "RESOURCE_DOES_NOT_EXIST",
      );
      await expectKeelError(store().getMetricHistory(missing, "m"), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(store().deleteTag(missing, "k"), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(
        store().logInputs(missing, [
          { dataset: { name: "d", digest: "1", sourceType: "local", source: "x" }, tags: [] },
        ]),
        "RESOURCE_DOES_NOT_EXIST",
      );
    });

    it("nests runs: parent id column and mlflow.parentRunId tag, searchable", async () => {
      const parent = await store().createRun({ experimentId: "0", runName: "parent" });
      const child = await store().createRun({ experimentId: "0", parentRunId: parent.info.runId });
      expect(child.info.parentRunId).toBe(parent.info.runId);
      expect(child.data.tags).toContainEqual({ key: "mlflow.parentRunId", value: parent.info.runId });
      await expectKeelError(
        store().createRun({ experimentId: "0", parentRunId: "ffffffffffffffffffffffffffffffff" }),
        "RESOURCE_DOES_NOT_EXIST",
      );
      const children = await store().searchRuns({
        experimentIds: ["0"],
        filter: `tags.mlflow.parentRunId = '${parent.info.runId}'`,
      });
      expect(children.items.map((r) => r.info.runId)).toEqual([child.info.runId]);
    });

    it("updates status, end time and name (the name tag follows)", async () => {
      const run = await store().createRun({ experimentId: "0" });
      const info = await store().updateRun(run.info.runId, {
        status: "FINISHED",
        endTime: 5000,
        runName: "renamed",
      });
      expect(info).toMatchObject({ status: "FINISHED", endTime: 5000, runName: "renamed" });
      const again = await store().getRun(run.info.runId);
      expect(again.info).toEqual(info);
      expect(again.data.tags).toContainEqual({ key: "mlflow.runName", value: "renamed" });
      await expectKeelError(
        store().updateRun(run.info.runId, { status: "DONE" as never }),
        "INVALID_PARAMETER_VALUE",
        "DONE",
      );
      await store().logBatch(run.info.runId, { tags: [{ key: "mlflow.runName", value: "via-tag" }] });
      expect((await store().getRun(run.info.runId)).info.runName).toBe("via-tag");
    });

    it("keeps params write-once: same value is a no-op, another value names key, old and new", async () => {
      const { info } = await store().createRun({ experimentId: "0" });
      await store().logBatch(info.runId, { params: [{ key: "lr", value: "0.1" }] });
      await store().logBatch(info.runId, { params: [{ key: "lr", value: "0.1" }] });
      await expectKeelError(
        store().logBatch(info.runId, { params: [{ key: "lr", value: "0.2" }] }),
        "INVALID_PARAMETER_VALUE",
        "lr",
        "0.1",
        "0.2",
      );
      // The failed batch is atomic: its metric and tag were not stored either.
      await expectKeelError(
        store().logBatch(info.runId, {
          params: [{ key: "lr", value: "0.3" }],
          metrics: [metric("acc", 1, 0)],
          tags: [{ key: "t", value: "v" }],
        }),
        "INVALID_PARAMETER_VALUE",
      );
      const run = await store().getRun(info.runId);
      expect(run.data.params).toEqual([{ key: "lr", value: "0.1" }]);
      expect(run.data.metrics).toEqual([]);
      expect(run.data.tags.find((t) => t.key === "t")).toBeUndefined();
      await expectKeelError(
        store().logBatch(info.runId, {
          params: [
            { key: "a", value: "1" },
            { key: "a", value: "1" },
          ],
        }),
        "INVALID_PARAMETER_VALUE",
        "Duplicate parameter keys",
      );
    });

    it("appends metric history and keeps the latest by step, then timestamp, then value", async () => {
      const { info } = await store().createRun({ experimentId: "0" });
      await store().logBatch(info.runId, {
        metrics: [metric("loss", 0.9, 0, 100), metric("loss", 0.5, 2, 50), metric("loss", 0.7, 1, 300)],
      });
      expect((await store().getRun(info.runId)).data.metrics).toEqual([metric("loss", 0.5, 2, 50)]);
      // Same step, later timestamp wins even with a worse value.
      await store().logBatch(info.runId, { metrics: [metric("loss", 0.6, 2, 60)] });
      expect((await store().getRun(info.runId)).data.metrics).toEqual([metric("loss", 0.6, 2, 60)]);
      // Same step and timestamp: the larger value wins; an older step never replaces the latest.
      await store().logBatch(info.runId, {
        metrics: [metric("loss", 0.8, 2, 60), metric("loss", 0.1, 1, 999)],
      });
      expect((await store().getRun(info.runId)).data.metrics).toEqual([metric("loss", 0.8, 2, 60)]);
      // The very same measurement twice is stored once.
      await store().logBatch(info.runId, { metrics: [metric("loss", 0.8, 2, 60)] });

      const history = await store().getMetricHistory(info.runId, "loss");
      expect(history.items).toEqual([
        metric("loss", 0.9, 0, 100),
        metric("loss", 0.7, 1, 300),
        metric("loss", 0.1, 1, 999),
        metric("loss", 0.5, 2, 50),
        metric("loss", 0.6, 2, 60),
        metric("loss", 0.8, 2, 60),
      ]);
      expect(history.nextPageToken).toBeUndefined();
      const paged = await allPages((pageToken) =>
        store().getMetricHistory(info.runId, "loss", { maxResults: 4, ...(pageToken ? { pageToken } : {}) }),
      );
      expect(paged.items).toEqual(history.items);
      expect(paged.pages).toBe(2);
      expect((await store().getMetricHistory(info.runId, "absent")).items).toEqual([]);
    });

    it("accepts concurrent batches to one run without losing or corrupting anything", async () => {
      const { info } = await store().createRun({ experimentId: "0" });
      const batches = Array.from({ length: 24 }, (_, b) =>
        store().logBatch(info.runId, {
          // Every batch touches the same keys, in different orders.
          metrics: ["a", "b", "c"].map((key, k) =>
            metric(b % 2 === 0 ? key : ["c", "b", "a"][k]!, b, b, 10 + b),
          ),
          params: [{ key: "shared", value: "same" }],
          tags: [
            { key: "t1", value: String(b) },
            { key: "t2", value: String(b) },
          ],
        }),
      );
      await Promise.all(batches);
      const run = await store().getRun(info.runId);
      expect(run.data.metrics).toEqual(["a", "b", "c"].map((key) => metric(key, 23, 23, 33)));
      expect(run.data.params).toEqual([{ key: "shared", value: "same" }]);
      for (const key of ["a", "b", "c"]) {
        expect((await store().getMetricHistory(info.runId, key)).items).toHaveLength(24);
      }
    });

    it("stores NaN and infinite metric values faithfully", async () => {
      const { info } = await store().createRun({ experimentId: "0" });
      await store().logBatch(info.runId, {
        metrics: [
          metric("x", Number.POSITIVE_INFINITY, 0),
          metric("x", Number.NEGATIVE_INFINITY, 1),
          metric("x", Number.NaN, 2),
          metric("y", Number.POSITIVE_INFINITY, 0),
        ],
      });
      const history = (await store().getMetricHistory(info.runId, "x")).items.map((m) => m.value);
      expect(history[0]).toBe(Number.POSITIVE_INFINITY);
      expect(history[1]).toBe(Number.NEGATIVE_INFINITY);
      expect(Number.isNaN(history[2])).toBe(true);
      const latest = (await store().getRun(info.runId)).data.metrics;
      expect(latest.map((m) => m.key)).toEqual(["x", "y"]);
      expect(Number.isNaN(latest[0]!.value)).toBe(true);
      expect(latest[1]!.value).toBe(Number.POSITIVE_INFINITY);
    });

    it("overwrites and deletes tags", async () => {
      const { info } = await store().createRun({ experimentId: "0" });
      await store().logBatch(info.runId, { tags: [{ key: "k", value: "1" }] });
      await store().logBatch(info.runId, {
        tags: [
          { key: "k", value: "2" },
          { key: "k", value: "3" },
        ],
      });
      expect((await store().getRun(info.runId)).data.tags).toContainEqual({ key: "k", value: "3" });
      await store().deleteTag(info.runId, "k");
      expect((await store().getRun(info.runId)).data.tags.find((t) => t.key === "k")).toBeUndefined();
      await expectKeelError(store().deleteTag(info.runId, "k"), "RESOURCE_DOES_NOT_EXIST", "k");
    });

    it("validates limits with MLflow's messages", async () => {
      const { info } = await store().createRun({ experimentId: "0" });
      const id = info.runId;
      const many = (n: number) => Array.from({ length: n }, (_, i) => i);
      await expectKeelError(
        store().logBatch(id, { metrics: [metric("k".repeat(251), 1, 0)] }),
        "INVALID_PARAMETER_VALUE",
        "exceeded length limit of 250",
      );
      await expectKeelError(
        store().logBatch(id, { params: [{ key: "p", value: "v".repeat(6001) }] }),
        "INVALID_PARAMETER_VALUE",
        "Param value",
        "6000",
      );
      await store().logBatch(id, { params: [{ key: "p", value: "v".repeat(6000) }] });
      await expectKeelError(
        store().logBatch(id, { tags: [{ key: "t", value: "v".repeat(5001) }] }),
        "INVALID_PARAMETER_VALUE",
        "Tag value",
        "5000",
      );
      await expectKeelError(
        store().logBatch(id, { metrics: many(1001).map((i) => metric("m", i, i)) }),
        "INVALID_PARAMETER_VALUE",
        "at most 1000 metrics",
      );
      await expectKeelError(
        store().logBatch(id, { params: many(101).map((i) => ({ key: `p${i}`, value: "v" })) }),
        "INVALID_PARAMETER_VALUE",
        "at most 100 params",
      );
      await expectKeelError(
        store().logBatch(id, { tags: many(101).map((i) => ({ key: `t${i}`, value: "v" })) }),
        "INVALID_PARAMETER_VALUE",
        "at most 100 tags",
      );
      await expectKeelError(
        store().logBatch(id, { metrics: [metric("../escape", 1, 0)] }),
        "INVALID_PARAMETER_VALUE",
        "../escape",
      );
      await expectKeelError(
        store().logBatch(id, { metrics: [metric("m", 1, 0, -5)] }),
        "INVALID_PARAMETER_VALUE",
        "timestamp",
      );
      await store().logBatch(id, { metrics: many(1000).map((i) => metric("m", i, i)) });
      expect((await store().getMetricHistory(id, "m")).items).toHaveLength(1000);
    });

    it("refuses writes to deleted runs until they are restored", async () => {
      const { info } = await store().createRun({ experimentId: "0" });
      await store().deleteRun(info.runId);
      expect((await store().getRun(info.runId)).info.lifecycleStage).toBe("deleted");
      await expectKeelError(
        store().logBatch(info.runId, { metrics: [metric("m", 1, 0)] }),
        "INVALID_PARAMETER_VALUE",
        "must be in the 'active' state",
      );
      await expectKeelError(store().updateRun(info.runId, { status: "FAILED" }), "INVALID_PARAMETER_VALUE");
      await expectKeelError(store().deleteTag(info.runId, "mlflow.runName"), "INVALID_PARAMETER_VALUE");
      await store().restoreRun(info.runId);
      await store().logBatch(info.runId, { metrics: [metric("m", 1, 0)] });
      expect((await store().getRun(info.runId)).data.metrics).toEqual([metric("m", 1, 0)]);
    });

    it("logs dataset inputs once per (experiment, name, digest), with tags and Keel versions", async () => {
      const expId = await store().createExperiment("data");
      const a = await store().createRun({ experimentId: expId });
      const b = await store().createRun({ experimentId: expId });
      const train = {
        dataset: {
          name: "flights",
          digest: "abc123",
          sourceType: "local",
          source: "data/train.parquet",
          schema: '{"cols":["a"]}',
          profile: '{"rows":10}',
          version: 3,
        },
        tags: [{ key: "mlflow.data.context", value: "train" }],
      };
      const test = {
        dataset: { name: "flights", digest: "def456", sourceType: "local", source: "data/test.parquet" },
        tags: [{ key: "mlflow.data.context", value: "test" }],
      };
      await store().logInputs(a.info.runId, [train, test, train]);
      await store().logInputs(a.info.runId, [train]);
      await store().logInputs(b.info.runId, [train]);
      const runA = await store().getRun(a.info.runId);
      expect(runA.inputs.datasetInputs).toEqual([train, test]);
      expect((await store().getRun(b.info.runId)).inputs.datasetInputs).toEqual([train]);

      const search = (filter: string) =>
        store()
          .searchRuns({ experimentIds: [expId], filter })
          .then((p) => p.items.map((r) => r.info.runId).sort());
      expect(await search("datasets.digest = 'abc123'")).toEqual([a.info.runId, b.info.runId].sort());
      expect(await search("datasets.context = 'test'")).toEqual([a.info.runId]);
      expect(await search("datasets.name IN ('flights', 'other')")).toHaveLength(2);
      await expectKeelError(
        store().logInputs(a.info.runId, [
          { dataset: { name: "", digest: "x", sourceType: "local", source: "y" }, tags: [] },
        ]),
        "INVALID_PARAMETER_VALUE",
      );
    });
  });
}
