/**
 * Group commit of SQLite logBatch calls: concurrent calls share transactions, yet each call is
 * atomic on its own and fails alone, with the same errors as when it ran by itself.
 */
import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { KeelError } from "../../src/errors.js";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import type { LogBatch } from "../../src/store/tracking-store.js";
import { makeTempDir } from "../support/temp-dir.js";

const temp = makeTempDir("keel-sqlite-group-commit");
afterAll(() => temp.cleanup());

/** What a settled logBatch call is expected to end with. */
type Expected = { ok: true } | { code: string; message: RegExp };

describe("SQLite group commit", () => {
  it("rejects only the failing calls of concurrent logBatch calls and stores all the others", async () => {
    const store = await openMetadataStore(`${temp.dir}/mixed/keel.db`);
    try {
      const active = (await store.createRun({ experimentId: "0" })).info.runId;
      const deleted = (await store.createRun({ experimentId: "0" })).info.runId;
      const withParam = (await store.createRun({ experimentId: "0" })).info.runId;
      await store.deleteRun(deleted);
      await store.logBatch(withParam, { params: [{ key: "lr", value: "0.1" }] });

      const calls: { runId: string; batch: LogBatch; expected: Expected }[] = [];
      for (let i = 0; i < 60; i++) {
        const metric = { key: "loss", value: i, timestamp: 1000 + i, step: i };
        switch (i % 5) {
          case 0:
          case 1:
            calls.push({ runId: active, batch: { metrics: [metric] }, expected: { ok: true } });
            break;
          case 2:
            calls.push({
              runId: deleted,
              batch: { metrics: [metric] },
              expected: { code: "INVALID_PARAMETER_VALUE", message: /must be in the 'active' state/ },
            });
            break;
          case 3:
            // A new param, a metric and a conflicting param: the whole call must roll back.
            calls.push({
              runId: withParam,
              batch: {
                params: [
                  { key: `extra${i}`, value: "x" },
                  { key: "lr", value: "0.2" },
                ],
                metrics: [metric],
                tags: [{ key: `tag${i}`, value: "y" }],
              },
              expected: {
                code: "INVALID_PARAMETER_VALUE",
                message: /Param with key='lr' was already logged with value='0.1'/,
              },
            });
            break;
          default:
            calls.push({
              runId: withParam,
              batch: {
                params: [{ key: `p${i}`, value: String(i) }],
                tags: [{ key: `tag${i}`, value: "ok" }],
              },
              expected: { ok: true },
            });
        }
      }
      calls.push({
        runId: "0123456789abcdef0123456789abcdef",
        batch: { metrics: [{ key: "loss", value: 1, timestamp: 1, step: 0 }] },
        expected: { code: "RESOURCE_DOES_NOT_EXIST", message: /not found/ },
      });

      const settled = await Promise.allSettled(calls.map((c) => store.logBatch(c.runId, c.batch)));
      settled.forEach((result, i) => {
        const expected = calls[i]!.expected;
        if ("ok" in expected) {
          expect(result.status, `call ${i}`).toBe("fulfilled");
        } else {
          expect(result.status, `call ${i}`).toBe("rejected");
          const error = (result as PromiseRejectedResult).reason as KeelError;
          expect(error).toBeInstanceOf(KeelError);
          expect(error.code).toBe(expected.code);
          expect(error.message).toMatch(expected.message);
        }
      });

      const history = await store.getMetricHistory(active, "loss");
      const activeSteps = calls.flatMap((c, i) => (c.runId === active ? [i] : []));
      expect(history.items.map((m) => m.step)).toEqual(activeSteps);
      expect((await store.getRun(active)).data.metrics).toEqual([
        { key: "loss", value: 56, timestamp: 1056, step: 56 },
      ]);

      const run = await store.getRun(withParam);
      const expectedParams = [
        { key: "lr", value: "0.1" },
        ...calls.flatMap((c) => (c.runId === withParam && "ok" in c.expected ? (c.batch.params ?? []) : [])),
      ];
      expect([...run.data.params].sort((a, b) => a.key.localeCompare(b.key))).toEqual(
        expectedParams.sort((a, b) => a.key.localeCompare(b.key)),
      );
      expect(run.data.params.some((p) => p.key.startsWith("extra"))).toBe(false);
      expect(run.data.tags.filter((t) => t.key.startsWith("tag")).every((t) => t.value === "ok")).toBe(true);
      expect(run.data.metrics).toEqual([]);
      expect((await store.getMetricHistory(deleted, "loss")).items).toEqual([]);

      // The store keeps working after failed members.
      await store.logBatch(active, { metrics: [{ key: "after", value: 1, timestamp: 1, step: 0 }] });
      expect((await store.getRun(active)).data.metrics.map((m) => m.key).sort()).toEqual(["after", "loss"]);
    } finally {
      await store.close();
    }
  }, 60_000);

  it("keeps the last value of a tag written by concurrent calls in call order", async () => {
    const store = await openMetadataStore(`${temp.dir}/order/keel.db`);
    try {
      const runId = (await store.createRun({ experimentId: "0" })).info.runId;
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          store.logBatch(runId, { tags: [{ key: "mlflow.runName", value: `name-${i}` }] }),
        ),
      );
      const run = await store.getRun(runId);
      expect(run.info.runName).toBe("name-29");
      expect(run.data.tags).toContainEqual({ key: "mlflow.runName", value: "name-29" });
    } finally {
      await store.close();
    }
  }, 60_000);

  it("finishes submitted writes on close, with background checkpoints running", async () => {
    const db = `${temp.dir}/busy/keel.db`;
    const store = await openMetadataStore(db);
    const runId = (await store.createRun({ experimentId: "0" })).info.runId;
    // Enough commits to start the checkpoint worker, then writes still in flight at close().
    for (let b = 0; b < 300; b++) {
      const metrics = Array.from({ length: 20 }, (_, i) => ({
        key: "m",
        value: i,
        timestamp: 1,
        step: b * 20 + i,
      }));
      await store.logBatch(runId, { metrics });
    }
    const pending = Array.from({ length: 10 }, (_, i) =>
      store.logBatch(runId, { metrics: [{ key: "late", value: i, timestamp: 1, step: i }] }),
    );
    await store.close();
    await Promise.all(pending);
    // The last connection to close checkpoints the log and removes it.
    expect(existsSync(`${db}-wal`)).toBe(false);

    const reopened = await openMetadataStore(db);
    try {
      expect((await reopened.getMetricHistory(runId, "m")).items).toHaveLength(300 * 20);
      expect((await reopened.getMetricHistory(runId, "late")).items).toHaveLength(10);
    } finally {
      await reopened.close();
    }
  }, 60_000);
});
