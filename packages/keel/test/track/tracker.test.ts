/**
 * One Tracker suite, run twice: embedded (a temp SQLite file in this process) and remote (a real
 * `keel server` on 127.0.0.1 with its own temp store, reached over MLflow's REST API).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { readGitInfo } from "../../src/track/git-info.js";
import { fullHistory, keelErrorOf, type Mode, openEnv, type TrackingEnv } from "./helpers.js";

describe.each<Mode>(["embedded", "remote"])("Tracker (%s)", (mode) => {
  let env: TrackingEnv;
  beforeEach(async () => {
    env = await openEnv(mode);
  });
  afterEach(async () => {
    await env.close();
  });

  it("reports its mode and creates experiments once", async () => {
    expect(env.tracker.mode).toBe(mode);
    const a = await env.tracker.getOrCreateExperiment("churn");
    const b = await env.tracker.getOrCreateExperiment("churn");
    expect(b.experimentId).toBe(a.experimentId);
    expect((await env.direct.getExperimentByName("churn"))?.experimentId).toBe(a.experimentId);
    const err = await keelErrorOf(env.tracker.createExperiment("churn"));
    expect(err.code).toBe("RESOURCE_ALREADY_EXISTS");
  });

  it("logs params and tags at once, with system tags", async () => {
    const run = await env.tracker.startRun({ experiment: "p", runName: "r1", tags: { team: "fraud" } });
    await run.logParam("lr", 0.1);
    await run.logParams({ model: "gbdt", depth: 6, flags: { a: true } });
    await run.setTag("stage", "tuning");
    const stored = await env.direct.getRun(run.id);
    const params = Object.fromEntries(stored.data.params.map((p) => [p.key, p.value]));
    expect(params).toEqual({ lr: "0.1", model: "gbdt", depth: "6", flags: '{"a":true}' });
    const tags = Object.fromEntries(stored.data.tags.map((t) => [t.key, t.value]));
    expect(tags.team).toBe("fraud");
    expect(tags.stage).toBe("tuning");
    expect(tags["mlflow.source.type"]).toBe("LOCAL");
    expect(tags["mlflow.user"]).toBeTruthy();
    expect(tags["mlflow.source.name"]).toBeTruthy();
    expect(tags["keel.pid"]).toBe(String(process.pid));
    expect(tags["keel.host"]).toBe(hostname());
    const git = await readGitInfo(process.cwd());
    if (git !== null) expect(tags["mlflow.source.git.commit"]).toBe(git.commit);
    expect(stored.info.runName).toBe("r1");
    expect(stored.info.status).toBe("RUNNING");
    await run.end();
    expect((await env.direct.getRun(run.id)).info.status).toBe("FINISHED");
  });

  it("refuses to overwrite a param with INVALID_PARAMETER_VALUE", async () => {
    const run = await env.tracker.startRun();
    await run.logParam("alpha", 1);
    await run.logParam("alpha", 1); // same value: a no-op
    const err = await keelErrorOf(run.logParam("alpha", 2));
    expect(err.code).toBe("INVALID_PARAMETER_VALUE");
    expect(err.message).toContain("alpha");
    await run.end();
  });

  it("buffers metrics until flush(), then they are in the store", async () => {
    const run = await env.tracker.startRun();
    run.logMetric("loss", 0.5, { step: 1 });
    run.logMetrics({ acc: 0.9, f1: 0.8 }, { step: 1 });
    await env.tracker.flush();
    const metrics = (await env.direct.getRun(run.id)).data.metrics;
    expect(Object.fromEntries(metrics.map((m) => [m.key, m.value]))).toEqual({
      loss: 0.5,
      acc: 0.9,
      f1: 0.8,
    });
    await run.end();
  });

  it("writes buffered metrics on end()", async () => {
    const run = await env.tracker.startRun();
    for (let step = 0; step < 10; step++) run.logMetric("loss", 1 / (step + 1), { step });
    await run.end();
    const history = await fullHistory(env.direct, run.id, "loss");
    expect(history.map((m) => m.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect((await env.direct.getRun(run.id)).info.status).toBe("FINISHED");
  });

  it("writes buffered metrics within the flush interval without any call", async () => {
    const run = await env.tracker.startRun();
    run.logMetric("tick", 1);
    let seen = false;
    for (let i = 0; i < 100 && !seen; i++) {
      await new Promise((r) => setTimeout(r, 50));
      seen = (await env.direct.getRun(run.id)).data.metrics.some((m) => m.key === "tick");
    }
    expect(seen).toBe(true);
    await run.end();
  });

  it("stores all of 5,000 metrics logged in a tight loop", async () => {
    const run = await env.tracker.startRun();
    for (let step = 0; step < 5000; step++) run.logMetric("x", step * 0.5, { step });
    await run.end();
    const history = await fullHistory(env.direct, run.id, "x");
    expect(history).toHaveLength(5000);
    expect(new Set(history.map((m) => m.step)).size).toBe(5000);
    expect(history.find((m) => m.step === 4999)?.value).toBe(2499.5);
  });

  it("surfaces a failed metric write on end(), after ending the run", async () => {
    const run = await env.tracker.startRun();
    run.logMetric("bad name!", 1); // the store rejects the name when the batch is written
    const err = await keelErrorOf(run.end());
    expect(err.code).toBe("INVALID_PARAMETER_VALUE");
    expect(err.message).toContain("could not be stored");
    expect((await env.direct.getRun(run.id)).info.status).toBe("FINISHED");
    expect(run.ended).toBe(true);
  });

  it("rejects logging to an ended run with INVALID_STATE", async () => {
    const run = await env.tracker.startRun();
    await run.end();
    expect(() => run.logMetric("a", 1)).toThrow(/has ended/);
    expect((await keelErrorOf(run.logParam("a", 1))).code).toBe("INVALID_STATE");
    await run.end(); // a second end is a no-op
  });

  it("nests runs under a parent, in the parent's experiment", async () => {
    const parent = await env.tracker.startRun({ experiment: "nested", runName: "search" });
    const child = await parent.startChild({ runName: "trial-1" });
    const byId = await env.tracker.startRun({ parent: parent.id, runName: "trial-2" });
    for (const c of [child, byId]) {
      expect(c.parentId).toBe(parent.id);
      expect(c.experimentId).toBe(parent.experimentId);
      const stored = await env.direct.getRun(c.id);
      expect(stored.info.parentRunId).toBe(parent.id);
      expect(stored.data.tags.find((t) => t.key === "mlflow.parentRunId")?.value).toBe(parent.id);
      await c.end();
    }
    await parent.end();
    const children = await env.direct.searchRuns({
      experimentIds: [parent.experimentId],
      filter: `tags.mlflow.parentRunId = '${parent.id}'`,
    });
    expect(children.items.map((r) => r.info.runName).sort()).toEqual(["trial-1", "trial-2"]);
  });

  it("round-trips artifacts: files, folders, text and dicts", async () => {
    const local = join(env.dir, "local");
    await mkdir(join(local, "model", "sub"), { recursive: true });
    await writeFile(join(local, "notes.txt"), "hello artifacts\n");
    await writeFile(join(local, "model", "model.json"), '{"name":"m"}');
    await writeFile(join(local, "model", "sub", "weights.bin"), Buffer.from([1, 2, 3]));

    const run = await env.tracker.startRun();
    if (mode === "remote") expect(run.artifactUri).toMatch(/^mlflow-artifacts:\//);
    await run.logArtifact(join(local, "notes.txt"));
    await run.logArtifact(join(local, "notes.txt"), "docs");
    await run.logArtifacts(join(local, "model"), "model");
    await run.logText("plain text", "text/out.txt");
    await run.logDict({ threshold: 0.42, features: ["a", "b"] }, "config.json");
    await run.logDict({ threshold: 0.42 }, "config.yaml");
    await expect(run.logArtifact(join(local, "model"))).rejects.toThrow(/logArtifacts/);
    await expect(run.logArtifacts(join(local, "notes.txt"))).rejects.toThrow(/logArtifact/);
    await run.end();

    expect(await env.readArtifact(run.id, "notes.txt")).toBe("hello artifacts\n");
    expect(await env.readArtifact(run.id, "docs/notes.txt")).toBe("hello artifacts\n");
    expect(await env.readArtifact(run.id, "model/model.json")).toBe('{"name":"m"}');
    expect(await env.readArtifact(run.id, "text/out.txt")).toBe("plain text");
    expect(JSON.parse(await env.readArtifact(run.id, "config.json"))).toEqual({
      threshold: 0.42,
      features: ["a", "b"],
    });
    expect(parseYaml(await env.readArtifact(run.id, "config.yaml"))).toEqual({ threshold: 0.42 });

    const store = await env.tracker.artifactsOf(run.id);
    expect((await store.list()).map((f) => f.path)).toEqual([
      "config.json",
      "config.yaml",
      "docs",
      "model",
      "notes.txt",
      "text",
    ]);
    expect(await store.list("model/sub")).toEqual([
      { path: "model/sub/weights.bin", isDir: false, fileSize: 3 },
    ]);
  });

  it("records dataset inputs, visible in getRun", async () => {
    const run = await env.tracker.startRun();
    await run.logInput(
      {
        name: "flights",
        digest: "abc123",
        sourceType: "local",
        source: "data/train.parquet",
        schema: '{"cols":2}',
      },
      "train",
    );
    await run.logInput({
      dataset: { name: "flights-test", digest: "def456", sourceType: "local", source: "data/test.parquet" },
      tags: [{ key: "mlflow.data.context", value: "eval" }],
    });
    const inputs = (await env.direct.getRun(run.id)).inputs.datasetInputs;
    const byName = new Map(inputs.map((i) => [i.dataset.name, i]));
    expect(byName.get("flights")?.dataset).toMatchObject({
      digest: "abc123",
      source: "data/train.parquet",
      schema: '{"cols":2}',
    });
    expect(byName.get("flights")?.tags).toEqual([{ key: "mlflow.data.context", value: "train" }]);
    expect(byName.get("flights-test")?.tags).toEqual([{ key: "mlflow.data.context", value: "eval" }]);
    expect((await run.get()).inputs.datasetInputs).toHaveLength(2);
    await run.end();
  });

  it("withRun ends FINISHED on return and FAILED on throw", async () => {
    let okId = "";
    const value = await env.tracker.withRun({ runName: "ok" }, async (run) => {
      okId = run.id;
      run.logMetric("m", 1);
      return 42;
    });
    expect(value).toBe(42);
    const ok = await env.direct.getRun(okId);
    expect(ok.info.status).toBe("FINISHED");
    expect(ok.data.metrics.map((m) => m.key)).toEqual(["m"]);

    let badId = "";
    await expect(
      env.tracker.withRun(async (run) => {
        badId = run.id;
        throw new Error("training diverged");
      }),
    ).rejects.toThrow("training diverged");
    expect((await env.direct.getRun(badId)).info.status).toBe("FAILED");
    expect(env.tracker.openRuns).toHaveLength(0);
  });

  it("gives the same error codes as the embedded store", async () => {
    const unknown = "0".repeat(32);
    const viaTracker = await keelErrorOf(env.tracker.store.getRun(unknown));
    const viaDirect = await keelErrorOf(env.direct.getRun(unknown));
    expect(viaTracker.code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect(viaTracker.code).toBe(viaDirect.code);
    expect(viaTracker.message).toBe(viaDirect.message);
  });

  it("fails stale runs only when asked with an age", async () => {
    const run = await env.tracker.startRun();
    // This process is alive: its own runs are never stale, even with an age limit.
    expect(await env.tracker.failStaleRuns()).toEqual([]);
    expect(await env.tracker.failStaleRuns({ olderThanMs: 0 })).toEqual([]);
    await run.end();
  });

  it("resumes a stopped run: RUNNING again, owned by this process, not stale, then ended", async () => {
    const run = await env.tracker.startRun({ runName: "long-search" });
    run.logMetric("trials", 3, { step: 0 });
    await run.end("KILLED");
    // As if another process had started it: a pid that cannot be alive on this host.
    await env.direct.logBatch(run.id, { tags: [{ key: "keel.pid", value: "999999999" }] });

    const resumed = await env.tracker.resumeRun(run.id);
    const reopened = await env.direct.getRun(run.id);
    expect(reopened.info.status).toBe("RUNNING");
    const tags = Object.fromEntries(reopened.data.tags.map((t) => [t.key, t.value]));
    expect(tags["keel.pid"]).toBe(String(process.pid));
    expect(tags["keel.host"]).toBe(hostname());
    expect(await env.tracker.failStaleRuns()).toEqual([]);

    resumed.logMetric("trials", 5, { step: 1 });
    await resumed.end();
    expect((await env.direct.getRun(run.id)).info.status).toBe("FINISHED");
    expect((await fullHistory(env.direct, run.id, "trials")).map((m) => m.value)).toEqual([3, 5]);

    await env.direct.deleteRun(run.id);
    const err = await keelErrorOf(env.tracker.resumeRun(run.id));
    expect(err.code).toBe("INVALID_PARAMETER_VALUE");
    expect(err.message).toMatch(/must be in the 'active' state/);
  });

  it("nests top-level runs under KEEL_PARENT_RUN_ID (a pipeline stage's run) when it exists here", async () => {
    const stage = await env.tracker.startRun({ experiment: "pipeline", runName: "stage" });
    const saved = process.env.KEEL_PARENT_RUN_ID;
    try {
      process.env.KEEL_PARENT_RUN_ID = stage.id;
      const inner = await env.tracker.startRun({ runName: "train" });
      expect(inner.parentId).toBe(stage.id);
      expect((await env.direct.getRun(inner.id)).info.experimentId).toBe(stage.experimentId);
      await inner.end();
      // A parent from another store is ignored rather than failing the command.
      process.env.KEEL_PARENT_RUN_ID = "f".repeat(32);
      const top = await env.tracker.startRun({ runName: "elsewhere" });
      expect(top.parentId).toBeNull();
      await top.end();
    } finally {
      if (saved === undefined) delete process.env.KEEL_PARENT_RUN_ID;
      else process.env.KEEL_PARENT_RUN_ID = saved;
    }
    await stage.end();
  });
});
