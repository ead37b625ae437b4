/**
 * A real store for the UI tests, made with Keel's own library calls: two dataset versions
 * (`keel data add`), two small model searches on penguins that train on them and register
 * `penguins` v1 (@champion) and v2 (@challenger), three tracked drift checks with their HTML
 * reports (what `keel monitor watch` records), an endpoint in a canary rollout with the live
 * figures a running endpoint server publishes, and a two-stage `keel.yaml` pipeline run twice
 * (the second time a param of `train` changed, so `prepare` is skipped and `train` runs).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { sqlString } from "../../src/data/engine/sql-text.js";
import { addData } from "../../src/data/versioning/add-data.js";
import { workspaceAt } from "../../src/data/versioning/workspace.js";
import { computeDrift } from "../../src/monitor/drift/compute-drift.js";
import { driftHtml } from "../../src/monitor/drift/drift-html.js";
import { runPipeline } from "../../src/pipeline/run-pipeline.js";
import { scaffoldProject } from "../../src/project/scaffold.js";
import { runSearch } from "../../src/search/run/run-search.js";
import { createEndpoint, deployToEndpoint } from "../../src/serve/endpoints/endpoint-admin.js";
import { writeStatsFile } from "../../src/serve/endpoints/endpoint-stats-file.js";
import { versionKey } from "../../src/serve/endpoints/traffic-policy.js";
import { EndpointStats } from "../../src/serve/endpoints/version-stats.js";
import { defaultPredictionLogDir } from "../../src/serve/start-model-server.js";
import { hasEndpointStore } from "../../src/store/endpoint-store.js";
import { Tracker } from "../../src/track/tracker.js";
import { penguinFiles } from "../learn-train/helpers.js";

/** What the seed made, for the tests to look for. */
export interface Seeded {
  /** The search experiment's id. */
  experimentId: string;
  /** The two search (parent) runs. */
  searchRunIds: [string, string];
  /** Drift check runs, oldest first. */
  driftRunIds: string[];
  /** Registered model name. */
  model: string;
  /** Dataset name. */
  dataset: string;
  /** Endpoint name. */
  endpoint: string;
  /** The second (last) pipeline run. */
  pipelineRunId: string;
}

/** Seed `trackingUri` (SQLite path or postgresql://) for a project scaffolded in `dir`. */
export async function seedStore(dir: string, trackingUri: string, artifactRoot: string): Promise<Seeded> {
  scaffoldProject(dir, { name: "ui-test" });
  const files = await penguinFiles(dir);
  const tracker = await Tracker.open({ cwd: dir, trackingUri, artifactRoot, handleProcessExit: false });
  try {
    const ws = workspaceAt(dir);
    const store = tracker.store;
    await addData(ws, store, files.train, { name: "penguins", cwd: dir });
    const search = (seed: number, alias: string) =>
      runSearch(
        {
          data: files.train,
          test: files.test,
          target: "species",
          models: ["logreg", "knn"],
          strategy: "random",
          trials: 4,
          cv: 2,
          seed,
          experiment: "penguins-search",
          register: "penguins",
          alias,
        },
        { tracker, cwd: dir },
      );
    const first = await search(1, "champion");
    // Version 2 of the data: the same penguins without the females of Torgersen.
    await DataSession.use(async (s) => {
      const rel = await s.relationFrom(files.train);
      const tmp = join(dir, "penguins-v2.parquet");
      await s.run(
        `COPY (SELECT * FROM ${rel} WHERE NOT (island = 'Torgersen' AND sex = 'FEMALE')) TO ${sqlString(tmp)}`,
      );
      await s.run(`COPY (SELECT * FROM ${sqlString(tmp)}) TO ${sqlString(files.train)}`);
    });
    await addData(ws, store, files.train, { name: "penguins", cwd: dir });
    const second = await search(2, "challenger");

    const driftRunIds = await seedDriftChecks(tracker, files.train, files.test);

    if (!hasEndpointStore(store)) throw new Error("the seeded store keeps no endpoints");
    const source = { store, trackingUri };
    await createEndpoint(source, "penguins-api", "models:/penguins/1", "seed");
    const ep = await deployToEndpoint(
      source,
      "penguins-api",
      "models:/penguins/2",
      {
        strategy: "canary",
        canary: {
          steps: [10, 50, 100],
          intervalMs: 60_000,
          maxErrorRate: 0.05,
          maxP99Ms: 500,
          minRequests: 20,
        },
      },
      "seed",
    );
    const stats = new EndpointStats();
    const stable = versionKey(ep.policy.stable);
    const candidate = versionKey(ep.policy.candidate!);
    for (let i = 0; i < 180; i++) stats.answered(stable, 0.002 + (i % 7) / 1000);
    for (let i = 0; i < 20; i++) stats.answered(candidate, 0.003 + (i % 5) / 1000);
    stats.failed(candidate, "server");
    await writeStatsFile(defaultPredictionLogDir("penguins-api", dir), {
      pid: process.pid,
      url: "http://127.0.0.1:0",
      updatedAt: Date.now(),
      revision: ep.revision,
      versions: { [stable]: stats.snapshot(stable), [candidate]: stats.snapshot(candidate) },
    });
    const pipelineRunId = await seedPipeline(tracker, dir);
    writeFileSync(join(dir, "seeded.txt"), "ok\n");
    const parent = await store.getRun(first.runId);
    return {
      experimentId: parent.info.experimentId,
      searchRunIds: [first.runId, second.runId],
      driftRunIds,
      model: "penguins",
      dataset: "penguins",
      endpoint: "penguins-api",
      pipelineRunId,
    };
  } finally {
    await tracker.close();
  }
}

/** The seed's pipeline: `prepare` writes a file `train` reads; `train` reads param `train.lr`. */
const PIPELINE = `stages:
  prepare:
    cmd: node -e "require('fs').writeFileSync('prepared.txt', 'rows')"
    outs: [prepared.txt]
  train:
    cmd: node -e "require('fs').writeFileSync('model.txt', 'lr \${train.lr}')"
    deps: [prepared.txt]
    params: [train.lr]
    outs: [model.txt]
`;

/** Runs the pipeline twice (the second time with another learning rate); the last run's id. */
async function seedPipeline(tracker: Tracker, dir: string): Promise<string> {
  const config = join(dir, "keel.yaml");
  writeFileSync(config, readFileSync(config, "utf8").replace(/^stages: \{\}\n?/m, PIPELINE));
  const run = async (lr: number) => {
    writeFileSync(join(dir, "params.yaml"), `train:\n  lr: ${lr}\n`);
    const report = await runPipeline(workspaceAt(dir), { tracker, experiment: "pipelines" });
    if (report.failed.length > 0 || report.runId === null)
      throw new Error(`seed pipeline failed: ${report.failed}`);
    return report.runId;
  };
  await run(0.1);
  return run(0.2);
}

/**
 * Three drift checks of the penguins test rows against the training rows, each current slice
 * shifted a little more, tracked as `keel monitor watch` tracks them.
 */
async function seedDriftChecks(tracker: Tracker, reference: string, current: string): Promise<string[]> {
  const ids: string[] = [];
  for (const shift of [0, 400, 1200]) {
    await DataSession.use(async (s) => {
      const ref = await s.relationFrom(reference);
      const cur0 = await s.relationFrom(current);
      const shifted = `"cur_${shift}"`;
      await s.run(
        `CREATE TEMP VIEW ${shifted} AS SELECT * REPLACE (body_mass_g + ${shift} AS body_mass_g) FROM ${cur0}`,
      );
      const report = await computeDrift(s, ref, shifted, {
        columns: ["island", "beak_length_mm", "body_mass_g"],
        driftShare: 0.3,
      });
      const run = await tracker.startRun({
        experiment: "monitoring",
        runName: `drift-check-${shift}`,
        tags: { "keel.command": "monitor-watch" },
      });
      const metrics: Record<string, number> = {
        dataset_drift: report.datasetDrift ? 1 : 0,
        drift_share: report.shareOfDriftedColumns,
      };
      for (const c of report.columns) {
        if (c.score !== null) metrics[`drift_score.${c.column}`] = c.score;
        metrics[`drift.${c.column}`] = c.drifted ? 1 : 0;
      }
      run.logMetrics(metrics);
      await run.logText(
        driftHtml(report, { reference: "penguins-train", current: `penguins-test+${shift}` }),
        "drift/report.html",
      );
      await run.end();
      ids.push(run.id);
    });
  }
  return ids;
}
