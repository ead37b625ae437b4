/**
 * Contract: searchRuns over ~200 runs. Expected results are computed in the test from the data it
 * logged (MLflow's semantics written out plainly), then compared with what the store returns,
 * page by page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Run } from "../../src/store/entities.js";
import type { MetadataStore } from "../../src/store/metadata-store.js";
import type { SearchRunsOptions } from "../../src/store/tracking-store.js";
import { allPages, expectKeelError, type OpenStore } from "./contract-support.js";

/** What the test logged for one run. */
interface Logged {
  runId: string;
  startTime: number;
  status: string;
  deleted: boolean;
  params: Record<string, string>;
  metrics: Record<string, number>;
  tags: Record<string, string>;
}

const RUNS = 200;
const MODELS = ["gbdt", "linear", "Forest"];
const TEAMS = ["alpha", "Alpha", "beta", "al_ha"];
const LRS = ["0.001", "0.01", "0.1", "0.05"];

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function buildRuns(store: MetadataStore, experimentId: string): Promise<Logged[]> {
  const rand = random(7);
  const logged: Logged[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Only 40 distinct start times: ties exercise the run_id tie-break.
    const startTime = 1_000_000 + (i % 40) * 1000;
    const run = await store.createRun({
      experimentId,
      startTime,
      runName: `run-${String(i).padStart(3, "0")}`,
    });
    const params: Record<string, string> = { model: MODELS[i % 3]!, lr: LRS[i % 4]! };
    if (i % 5 !== 0) params.depth = String(2 + (i % 6));
    const metrics: Record<string, number> = { loss: Math.round(rand() * 1000) / 1000 };
    if (i % 7 !== 0) metrics.acc = i % 23 === 0 ? Number.NaN : Math.round(rand() * 100) / 100;
    const tags: Record<string, string> = { team: TEAMS[i % 4]! };
    await store.logBatch(run.info.runId, {
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, step: 0, timestamp: 1 })),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    });
    const status = i % 3 === 0 ? "FINISHED" : "RUNNING";
    if (status === "FINISHED")
      await store.updateRun(run.info.runId, { status: "FINISHED", endTime: startTime + 5 });
    const deleted = i % 31 === 0;
    if (deleted) await store.deleteRun(run.info.runId);
    tags["mlflow.runName"] = run.info.runName;
    logged.push({ runId: run.info.runId, startTime, status, deleted, params, metrics, tags });
  }
  return logged;
}

type Key = { entity: "metric" | "param" | "tag" | "start_time"; key: string; ascending: boolean };

/** MLflow's order: present values first (NaN after numbers), then start_time DESC, then run_id ASC. */
function expectedOrder(runs: Logged[], keys: Key[]): string[] {
  const rank = (r: Logged, k: Key): [number, number | string] => {
    if (k.entity === "start_time") return [0, r.startTime];
    if (k.entity === "metric") {
      const v = r.metrics[k.key];
      if (v === undefined) return [2, 0];
      return Number.isNaN(v) ? [1, 0] : [0, v];
    }
    const v = (k.entity === "param" ? r.params : r.tags)[k.key];
    return v === undefined ? [1, ""] : [0, v];
  };
  const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...runs]
    .sort((a, b) => {
      for (const k of keys) {
        const [ra, va] = rank(a, k);
        const [rb, vb] = rank(b, k);
        if (ra !== rb) return ra - rb;
        const c = cmp(va, vb);
        if (c !== 0) return k.ascending ? c : -c;
      }
      if (!keys.some((k) => k.entity === "start_time") && a.startTime !== b.startTime)
        return b.startTime - a.startTime;
      return cmp(a.runId, b.runId);
    })
    .map((r) => r.runId);
}

/** Run search tests for any MetadataStore. */
export function defineSearchContract(openStore: OpenStore): void {
  describe("searchRuns", () => {
    // The runs are only read here, so one store and one set of runs serve every test.
    let shared: MetadataStore | undefined;
    const store = () => shared!;
    let experimentId: string;
    let logged: Logged[];
    let active: Logged[];

    beforeAll(async () => {
      shared = await openStore();
      experimentId = await store().createExperiment("search");
      logged = await buildRuns(store(), experimentId);
      active = logged.filter((r) => !r.deleted);
    }, 120_000);
    afterAll(async () => {
      await shared?.close();
    });

    /** Every page of a search, with a small page size so pagination is exercised. */
    async function search(options: Omit<SearchRunsOptions, "experimentIds">): Promise<string[]> {
      const { items } = await allPages((pageToken) =>
        store().searchRuns({ experimentIds: [experimentId], maxResults: 17, ...options, pageToken }),
      );
      return items.map((r: Run) => r.info.runId);
    }

    it("orders by default on start_time DESC then run_id, paging without gaps or repeats", async () => {
      expect(await search({})).toEqual(expectedOrder(active, []));
      const firstPage = await store().searchRuns({ experimentIds: [experimentId], maxResults: 500 });
      expect(firstPage.items).toHaveLength(active.length);
      expect(firstPage.nextPageToken).toBeUndefined();
    });

    it("filters on metrics and orders by a metric, missing and NaN values last", async () => {
      const expected = expectedOrder(
        active.filter((r) => (r.metrics.acc ?? Number.NaN) > 0.5),
        [{ entity: "metric", key: "acc", ascending: false }],
      );
      expect(expected.length).toBeGreaterThan(30);
      expect(await search({ filter: "metrics.acc > 0.5", orderBy: ["metrics.acc DESC"] })).toEqual(expected);
      for (const ascending of [true, false]) {
        const order = expectedOrder(active, [{ entity: "metric", key: "acc", ascending }]);
        expect(await search({ orderBy: [`metrics.acc ${ascending ? "ASC" : "DESC"}`] })).toEqual(order);
      }
    });

    it("matches NaN only with != and never runs without the metric", async () => {
      const expected = expectedOrder(
        active.filter((r) => r.metrics.acc !== undefined && r.metrics.acc !== 0.5),
        [],
      );
      expect(await search({ filter: "metrics.acc != 0.5" })).toEqual(expected);
      const ge = expectedOrder(
        active.filter((r) => r.metrics.acc !== undefined && r.metrics.acc >= 0),
        [],
      );
      expect(await search({ filter: "metrics.acc >= 0" })).toEqual(ge);
    });

    it("filters params and tags with case-sensitive LIKE and case-insensitive ILIKE", async () => {
      const like = expectedOrder(
        active.filter((r) => r.params.model === "gbdt" && /^a/.test(r.tags.team!)),
        [{ entity: "param", key: "lr", ascending: true }],
      );
      expect(like.length).toBeGreaterThan(5);
      expect(
        await search({ filter: "params.model = 'gbdt' and tags.team LIKE 'a%'", orderBy: ["params.lr ASC"] }),
      ).toEqual(like);
      const underscore = expectedOrder(
        active.filter((r) => /^al.ha$/.test(r.tags.team!)),
        [],
      );
      expect(await search({ filter: "tags.team LIKE 'al_ha'" })).toEqual(underscore);
      const ilike = expectedOrder(
        active.filter((r) => /^a/i.test(r.tags.team!)),
        [],
      );
      expect(await search({ filter: "tags.team ILIKE 'A%'" })).toEqual(ilike);
      const notForest = expectedOrder(
        active.filter((r) => r.params.model !== "Forest"),
        [{ entity: "tag", key: "team", ascending: false }],
      );
      expect(await search({ filter: "params.model != 'Forest'", orderBy: ["tags.team DESC"] })).toEqual(
        notForest,
      );
    });

    it("orders by params with runs lacking the param last, then by a second key", async () => {
      const order = expectedOrder(active, [
        { entity: "param", key: "depth", ascending: false },
        { entity: "metric", key: "loss", ascending: true },
      ]);
      expect(await search({ orderBy: ["params.depth DESC", "metrics.loss ASC"] })).toEqual(order);
    });

    it("filters and orders on attributes", async () => {
      const finished = expectedOrder(
        active.filter((r) => r.status === "FINISHED" && r.metrics.loss! <= 0.5),
        [{ entity: "start_time", key: "start_time", ascending: true }],
      );
      expect(
        await search({
          filter: "attributes.status = 'FINISHED' and metrics.loss <= 0.5",
          orderBy: ["attributes.start_time ASC"],
        }),
      ).toEqual(finished);
      const late = expectedOrder(
        active.filter((r) => r.startTime >= 1_030_000),
        [],
      );
      expect(await search({ filter: "attributes.start_time >= 1030000" })).toEqual(late);
      const picked = [active[3]!, active[50]!, active[120]!].map((r) => r.runId);
      expect((await search({ filter: `attributes.run_id IN ('${picked.join("', '")}')` })).sort()).toEqual(
        [...picked].sort(),
      );
      const byName = await search({ filter: "attributes.run_name LIKE 'run-01%'" });
      expect(byName).toEqual(
        expectedOrder(
          active.filter((r) => r.tags["mlflow.runName"]!.startsWith("run-01")),
          [],
        ),
      );
    });

    it("honours the run view type", async () => {
      const deleted = logged.filter((r) => r.deleted);
      expect(await search({ runViewType: "DELETED_ONLY" })).toEqual(expectedOrder(deleted, []));
      expect(await search({ runViewType: "ALL" })).toEqual(expectedOrder(logged, []));
      expect((await store().searchRuns({ experimentIds: ["0"] })).items).toEqual([]);
    });

    it("returns whole runs and rejects bad requests", async () => {
      const [first] = (await store().searchRuns({ experimentIds: [experimentId], maxResults: 1 })).items;
      expect(first).toEqual(await store().getRun(first!.info.runId));
      await expectKeelError(
        store().searchRuns({ experimentIds: [experimentId], filter: "metrics.acc >" }),
        "INVALID_PARAMETER_VALUE",
      );
      await expectKeelError(
        store().searchRuns({ experimentIds: [experimentId], maxResults: 50_001 }),
        "INVALID_PARAMETER_VALUE",
      );
      await expectKeelError(
        store().searchRuns({ experimentIds: [experimentId], orderBy: ["metrics.acc", "metrics.acc DESC"] }),
        "INVALID_PARAMETER_VALUE",
        "duplicate",
      );
      await expectKeelError(
        store().searchRuns({ experimentIds: [experimentId], pageToken: "%%%" }),
        "INVALID_PARAMETER_VALUE",
      );
    });
  });
}
