/**
 * Rollout strategies on a real endpoint server under a bounded loopback load: every switch
 * happens while N clients send requests, and no client request may fail.
 */
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import {
  createEndpoint,
  deployToEndpoint,
  endpointStatus,
  promoteEndpoint,
  rollbackEndpoint,
} from "../../src/serve/endpoints/endpoint-admin.js";
import { compareEndpoint } from "../../src/serve/endpoints/endpoint-compare.js";
import type { RunningEndpointServer } from "../../src/serve/endpoints/endpoint-server.js";
import { recordFeedback } from "../../src/serve/prediction-log/feedback-log.js";
import { readPredictionLog } from "../../src/serve/prediction-log/read-prediction-log.js";
import { FLIGHTS } from "../serve/helpers.js";
import { runKeelInProcess as keel } from "../support/in-process-cli.js";
import { type EndpointFixture, endpointFixture, serveEndpoint, startLoad, waitFor } from "./helpers.js";

let fx: EndpointFixture;
const servers: RunningEndpointServer[] = [];

beforeAll(async () => {
  fx = await endpointFixture();
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await fx?.project.close();
});

async function serve(name: string): Promise<RunningEndpointServer> {
  const s = await serveEndpoint(fx, name);
  servers.push(s);
  return s;
}

describe("blue/green", () => {
  it("switches to the new version and back under load with zero failed requests", async () => {
    await createEndpoint(fx.source, "bg", "models:/flights/1", "tester");
    const server = await serve("bg");
    const load = startLoad(server.url, "bg", { clients: 8 });
    await waitFor("traffic on v1", () => load.sent() > 50);

    const deployed = await deployToEndpoint(
      fx.source,
      "bg",
      "models:/flights/2",
      { strategy: "blue-green" },
      "tester",
    );
    await waitFor("the switch", () => server.revision === deployed.revision);
    const atSwitch = load.sent();
    await waitFor("traffic on v2", () => load.sent() > atSwitch + 100);
    // The old version stays loaded: rollback needs no load.
    expect(server.router.table.hosted.map((m) => m.version).sort()).toEqual(["1", "2"]);

    const rolled = await rollbackEndpoint(fx.source.store, "bg", "tester");
    await waitFor("the rollback", () => server.revision === rolled.revision);
    const atRollback = load.sent();
    await waitFor("traffic back on v1", () => load.sent() > atRollback + 100);
    const result = await load.stop();

    expect(result.failures).toEqual([]);
    expect(result.byVersion["1"]).toBeGreaterThan(100);
    expect(result.byVersion["2"]).toBeGreaterThan(50);
    // After the rollback the last answers all come from v1.
    expect(result.answers.slice(-50).every((a) => a.version === "1")).toBe(true);
    expect(server.router.table.stable.version).toBe("1");

    const status = await endpointStatus(fx.source.store, "bg", server.logDir);
    expect(status.events.map((e) => e.type)).toEqual(["created", "deployed", "rolled_back"]);
    expect(status.versions.map((v) => [v.role, v.version.version, v.trafficPercent])).toEqual([
      ["stable", "1", 100],
      ["previous", "2", 0],
    ]);
    // Closing publishes the final figures: every answered request is counted, none lost to the poll.
    await server.close();
    const final = await endpointStatus(fx.source.store, "bg", server.logDir);
    const counted = final.versions.map((v) => [v.version.version, v.live?.total.requests]);
    expect(Object.fromEntries(counted)).toEqual(result.byVersion);
  }, 60_000);
});

const canary = (over: Partial<import("../../src/store/endpoint-store.js").CanaryParams> = {}) => ({
  strategy: "canary" as const,
  canary: {
    steps: [20, 50, 100],
    intervalMs: 400,
    maxErrorRate: 0.01,
    maxP99Ms: 2000,
    minRequests: 10,
    ...over,
  },
});

describe("canary", () => {
  it("advances each step and promotes automatically, with zero failed requests", async () => {
    await createEndpoint(fx.source, "can", "models:/flights/1", "tester");
    const server = await serve("can");
    const load = startLoad(server.url, "can", { clients: 6 });
    await deployToEndpoint(fx.source, "can", "models:/flights/2", canary(), "tester");
    await waitFor(
      "promotion",
      () => server.router.table.stable.version === "2" && !server.router.table.candidate,
    );
    const atPromotion = load.sent();
    await waitFor("traffic after promotion", () => load.sent() > atPromotion + 50);
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect(result.answers.slice(-30).every((a) => a.version === "2")).toBe(true);

    const status = await endpointStatus(fx.source.store, "can", server.logDir);
    const events = status.events;
    expect(events.map((e) => [e.type, e.actor])).toEqual([
      ["created", "tester"],
      ["deployed", "tester"],
      ["step_advanced", "canary-controller"],
      ["promoted", "canary-controller"],
    ]);
    const step = events[2]!.details as { percent: number; figures: Record<string, unknown> };
    expect(step.percent).toBe(50);
    // Every automatic decision carries the figures it was taken on.
    expect(step.figures).toMatchObject({ errors: 0, errorRate: 0, step: 0, percent: 20 });
    expect(step.figures.requests).toBeGreaterThanOrEqual(10);
    expect((events[3]!.details as { figures: { percent: number } }).figures.percent).toBe(50);
  }, 60_000);

  it("rolls back automatically from a version that fails at inference; clients never see the failure", async () => {
    await createEndpoint(fx.source, "bad", "models:/flights/1", "tester");
    const server = await serve("bad");
    const load = startLoad(server.url, "bad", { clients: 6 });
    await waitFor("traffic", () => load.sent() > 20);
    // Version 3 needs a taxi_out column the traffic never sends: each inference on it fails.
    const deployed = await deployToEndpoint(
      fx.source,
      "bad",
      "models:/flights/3",
      canary({ steps: [50, 100] }),
      "tester",
    );
    await waitFor("the canary", () => server.revision >= deployed.revision);
    await waitFor(
      "the rollback",
      () => server.revision > deployed.revision && !server.router.table.candidate,
    );
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect(result.byVersion["3"]).toBeUndefined();
    const v3 = server.stats.snapshot("flights:3").total;
    expect(v3.errors).toBeGreaterThanOrEqual(10);
    expect(v3.errorRate).toBe(1);

    const status = await endpointStatus(fx.source.store, "bad", server.logDir);
    const last = status.events.at(-1)!;
    expect(last.type).toBe("rolled_back");
    expect(last.actor).toBe("canary-controller");
    expect(last.message).toMatch(/error rate 1 .* above --max-error-rate 0.01/);
    expect((last.details as { figures: { errorRate: number } }).figures.errorRate).toBe(1);
    expect(status.endpoint.policy.stable.version).toBe("1");
  }, 60_000);
});

describe("shadow", () => {
  it("logs the candidate's answers with shadow=true and returns only the stable's", async () => {
    await createEndpoint(fx.source, "sh", "models:/flights/1", "tester");
    const server = await serve("sh");
    const deployed = await deployToEndpoint(
      fx.source,
      "sh",
      "models:/flights/2",
      { strategy: "shadow" },
      "tester",
    );
    await server.refresh();
    expect(server.revision).toBe(deployed.revision);
    const result = await startLoad(server.url, "sh", { clients: 8, count: 300 }).done;
    expect(result.failures).toEqual([]);
    expect(result.byVersion).toEqual({ "1": 300 });

    await waitFor("shadow answers in the log", async () => {
      const log = await readPredictionLog(server.logDir);
      const rows = await DataSession.use((s) =>
        s.query(`SELECT count(*) AS n FROM (${log.sql}) WHERE shadow AND version = '2'`),
      );
      return Number(rows[0]!.n) === 300;
    });
    const log = await readPredictionLog(server.logDir);
    const byKind = await DataSession.use((s) =>
      s.query(`SELECT version, shadow, count(*) AS n FROM (${log.sql}) GROUP BY ALL ORDER BY version`),
    );
    expect(byKind.map((r) => [r.version, r.shadow, Number(r.n)])).toEqual([
      ["1", false, 300],
      ["2", true, 300],
    ]);

    // MLflow's /invocations carries no model name: its rows are logged under the endpoint's.
    const inv = await fetch(`${server.url}/invocations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ dataframe_records: [FLIGHTS[0]] }),
    });
    expect(inv.status, await inv.clone().text()).toBe(200);
    await waitFor("the /invocations answer in the log", async () => {
      const log = await readPredictionLog(server.logDir);
      const rows = await DataSession.use((s) =>
        s.query(
          `SELECT DISTINCT endpoint FROM (${log.sql}) WHERE NOT shadow AND request_id = '${inv.headers.get("x-request-id")}'`,
        ),
      );
      return rows.length === 1 && rows[0]!.endpoint === "sh";
    });

    const cmp = await compareEndpoint(fx.source.store, "sh", server.logDir);
    expect(cmp.shadow.pairs).toBe(301);
    expect(cmp.shadow.labelAgreement).toBeGreaterThanOrEqual(0);
    expect(cmp.shadow.labelAgreement).toBeLessThanOrEqual(1);
    expect(cmp.shadow.meanAbsProbabilityDelta).toBeGreaterThan(0);
    expect(cmp.shadow.meanAbsPredictionDelta).toBeNull();
  }, 60_000);
});

describe("A/B", () => {
  it("assigns keys stickily, splits keys near 50/50, and tests the arms' accuracy", async () => {
    await createEndpoint(fx.source, "ab", "models:/flights/1", "tester");
    const server = await serve("ab");
    await deployToEndpoint(
      fx.source,
      "ab",
      "models:/flights/2",
      { strategy: "ab", ab: { split: 50, keyHeader: "X-User-Id" } },
      "tester",
    );
    await server.refresh();
    const result = await startLoad(server.url, "ab", {
      clients: 8,
      count: 1200,
      keyHeader: "x-user-id",
      keyOf: (i) => `user-${i % 300}`,
    }).done;
    expect(result.failures).toEqual([]);
    const armOf = new Map<string, Set<string>>();
    for (const a of result.answers) armOf.set(a.key!, (armOf.get(a.key!) ?? new Set()).add(a.version));
    expect(armOf.size).toBe(300);
    // Sticky: every key saw exactly one version across its 4 requests.
    expect([...armOf.values()].every((v) => v.size === 1)).toBe(true);
    const onB = [...armOf.values()].filter((v) => v.has("2")).length / armOf.size;
    expect(onB).toBeGreaterThan(0.38);
    expect(onB).toBeLessThan(0.62);

    // Seeded outcomes: arm A is right 55% of the time, arm B 80%.
    const count = new Map<string, number>();
    for (const a of result.answers) {
      const i = count.get(a.version) ?? 0;
      count.set(a.version, i + 1);
      const right = i % 20 < (a.version === "2" ? 16 : 11);
      const other = a.label === "1" ? "0" : "1";
      await recordFeedback(server.logDir, a.id, right ? a.label : other);
    }
    await waitFor("predictions flushed", async () => {
      const log = await readPredictionLog(server.logDir);
      const rows = await DataSession.use((s) => s.query(`SELECT count(*) AS n FROM (${log.sql})`));
      return Number(rows[0]!.n) === 1200;
    });
    const cmp = await compareEndpoint(fx.source.store, "ab", server.logDir);
    const [a, b] = cmp.abTest!.arms;
    expect(a!.n + b!.n).toBe(1200);
    expect(a!.successes / a!.n).toBeCloseTo(0.55, 1);
    expect(b!.successes / b!.n).toBeCloseTo(0.8, 1);
    expect(cmp.abTest!.test.significant).toBe(true);
    expect(cmp.abTest!.test.pValue).toBeLessThan(0.001);
  }, 60_000);
});

describe("restart", () => {
  it("a new endpoint server picks up the stored policy", async () => {
    await createEndpoint(fx.source, "rs", "models:/flights/1", "tester");
    await deployToEndpoint(
      fx.source,
      "rs",
      "models:/flights/2",
      canary({ intervalMs: 3_600_000, steps: [30, 100] }),
      "tester",
    );
    const first = await serve("rs");
    expect(first.router.table.candidate?.version).toBe("2");
    await first.close();
    const second = await serve("rs");
    const t = second.router.table;
    expect([t.stable.version, t.candidate?.version, t.strategy, t.candidatePercent]).toEqual([
      "1",
      "2",
      "canary",
      30,
    ]);
    const result = await startLoad(second.url, "rs", { clients: 4, count: 200 }).done;
    expect(result.failures).toEqual([]);
    expect(result.byVersion["2"]).toBeGreaterThan(20);
    await promoteEndpoint(fx.source.store, "rs", "tester");
    await second.refresh();
    expect(second.router.table.stable.version).toBe("2");
  }, 60_000);
});

describe("keel endpoint (CLI)", () => {
  it("create, list, deploy, status, promote, rollback and compare through the command line", async () => {
    const store = ["--tracking-uri", fx.project.trackingUri];
    const logs = ["--log-predictions", `${fx.project.dir}/predictions/cli`];
    const created = await keel([
      "endpoint",
      "create",
      "cli",
      "--model",
      "models:/flights/1",
      "--json",
      ...store,
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      name: "cli",
      revision: 1,
      policy: { stable: { version: "1" } },
    });
    expect((await keel(["endpoint", "create", "cli", "--model", "models:/flights/1", ...store])).code).toBe(
      3,
    );

    const list = await keel(["endpoint", "list", ...store]);
    expect(list.stdout).toMatch(/cli\s+flights:1/);

    const badSteps = await keel([
      "endpoint",
      "deploy",
      "cli",
      "--model",
      "models:/flights/2",
      "--strategy",
      "canary",
      "--steps",
      "50,20",
      ...store,
    ]);
    expect(badSteps.code).toBe(2);
    expect(badSteps.stderr).toMatch(/--steps must be increasing percentages/);

    const deploy = await keel([
      "endpoint",
      "deploy",
      "cli",
      "--model",
      "models:/flights/2",
      "--strategy",
      "canary",
      "--steps",
      "10,100",
      "--interval",
      "2s",
      "--max-p99-ms",
      "100",
      "--min-requests",
      "5",
      "--json",
      ...store,
    ]);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(JSON.parse(deploy.stdout).policy).toMatchObject({
      strategy: "canary",
      canaryStep: 0,
      canary: { steps: [10, 100], intervalMs: 2000, maxP99Ms: 100, minRequests: 5, maxErrorRate: 0.01 },
      candidate: { ref: "models:/flights/2" },
    });

    const status = await keel(["endpoint", "status", "cli", "--json", ...logs, ...store]);
    expect(status.code, status.stderr).toBe(0);
    const st = JSON.parse(status.stdout);
    expect(st.canary).toMatchObject({ step: 0, percent: 10 });
    expect(
      st.versions.map((v: { role: string; trafficPercent: number }) => [v.role, v.trafficPercent]),
    ).toEqual([
      ["stable", 90],
      ["candidate", 10],
    ]);
    const table = await keel(["endpoint", "status", "cli", ...logs, ...store]);
    expect(table.stdout).toMatch(/step 1\/2 at 10%/);
    expect(table.stdout).toMatch(/deployed\s+\S+\s+Canary: flights version 2 takes 10%/);

    expect((await keel(["endpoint", "promote", "cli", ...store])).code).toBe(0);
    const rolled = await keel(["endpoint", "rollback", "cli", "--json", ...store]);
    expect(JSON.parse(rolled.stdout).policy.stable.version).toBe("1");
    const cmp = await keel(["endpoint", "compare", "cli", "--json", ...logs, ...store]);
    expect(cmp.code, cmp.stderr).toBe(0);
    expect(JSON.parse(cmp.stdout)).toMatchObject({ candidate: { version: "2" }, shadow: { pairs: 0 } });

    // keel endpoint serve: serves the stored policy until SIGINT, then drains and exits 0.
    const port = await freePort();
    const serving = keel([
      "endpoint",
      "serve",
      "cli",
      "--port",
      String(port),
      "--log-level",
      "silent",
      "--body-limit",
      "16kb",
      ...logs,
      ...store,
    ]);
    await waitFor(
      "the CLI server",
      async () => (await fetch(`http://127.0.0.1:${port}/v2/health/ready`).catch(() => null))?.ok === true,
    );
    const result = await startLoad(`http://127.0.0.1:${port}`, "cli", { clients: 4, count: 100 }).done;
    expect(result.failures).toEqual([]);
    expect(result.byVersion).toEqual({ "1": 100 });
    const oversized = await fetch(`http://127.0.0.1:${port}/v2/models/cli/infer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ inputs: [], pad: "x".repeat(20_000) }),
    });
    expect(oversized.status).toBe(413);
    process.emit("SIGINT");
    const stopped = await serving;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).toMatch(/keel endpoint serve: cli on http:\/\/127.0.0.1:\d+/);
  }, 60_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
