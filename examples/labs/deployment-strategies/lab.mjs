// Lab: deployment strategies. See README.md beside this file.
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { flightsFeaturesSql, scaffoldProject, vegaDatasetPath } from "keel";
import { keel, keelJson, startKeel } from "../lab-kit.mjs";

const ROW = { month: 4, day_of_week: 2, hour: 17, distance: 1200, origin: "SFO", destination: "ORD" };
const inputs = Object.entries(ROW).map(([name, v]) => ({
  name,
  shape: [1],
  datatype: typeof v === "string" ? "BYTES" : "FP64",
  data: [v],
}));

/** Clients sending single-row requests until stopped: answers per version, and failures. */
function traffic(url, clients = 4) {
  const byVersion = {};
  const failures = [];
  let stopped = false;
  let sent = 0;
  const client = async (c) => {
    while (!stopped) {
      sent++;
      try {
        const res = await fetch(`${url}/v2/models/flights/infer`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-user-id": `user-${c}-${sent % 50}` },
          body: JSON.stringify({ inputs }),
        });
        const body = await res.json();
        if (res.status !== 200) failures.push(`${res.status} ${body.error}`);
        else byVersion[body.model_version] = (byVersion[body.model_version] ?? 0) + 1;
      } catch (e) {
        failures.push(String(e));
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  return {
    byVersion,
    failures,
    reset: () => {
      for (const k of Object.keys(byVersion)) delete byVersion[k];
    },
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits (up to 60 s) until `check()` is true. */
async function until(what, check) {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Run the lab in `dir`; returns what a test (or a curious learner) checks. */
export async function runLab({ dir, log = () => {} }) {
  const root = resolve(dir);
  rmSync(root, { recursive: true, force: true });
  scaffoldProject(root, { name: "deployment-strategies-lab" });
  const rel = `'${vegaDatasetPath("flights-3m.parquet")}'`;
  const made = keel(root, [
    ...[
      "data",
      "sql",
      flightsFeaturesSql(rel, { where: "month(date) <= 3", sample: { rows: 10_000, seed: 0 } }),
    ],
    ...["--out", "data/train.parquet"],
  ]);
  if (made.code !== 0) throw new Error(made.stderr);
  for (const model of ["gbdt", "logreg"]) {
    keelJson(root, [
      "train",
      "--data",
      "data/train.parquet",
      "--target",
      "delayed",
      "--model",
      model,
      "--register",
      "flights",
    ]);
  }
  keelJson(root, ["endpoint", "create", "flights", "--model", "models:/flights/1"]);
  const server = await startKeel(root, [
    "endpoint",
    "serve",
    "flights",
    "--port",
    "0",
    "--poll-ms",
    "200",
    "--log-level",
    "warn",
  ]);
  const load = traffic(server.url);
  const status = () => keelJson(root, ["endpoint", "status", "flights"]);
  let shadowAnswers = {};
  try {
    await until("traffic on version 1", () => (load.byVersion["1"] ?? 0) > 50);

    // Blue/green: switch everything at once, then roll back at once.
    keelJson(root, [
      "endpoint",
      "deploy",
      "flights",
      "--model",
      "models:/flights/2",
      "--strategy",
      "blue-green",
    ]);
    load.reset();
    await until("version 2 answering", () => (load.byVersion["2"] ?? 0) > 50);
    const rolled = keelJson(root, ["endpoint", "rollback", "flights"]);
    await until("the server applying the rollback", () => status().server?.revision >= rolled.revision);
    await sleep(300); // requests routed before the switch are still finishing
    load.reset();
    await until("version 1 answering again", () => (load.byVersion["1"] ?? 0) > 50);
    if (load.byVersion["2"]) throw new Error("version 2 still answered after the rollback was applied");
    log(`blue-green: switched to v2 and rolled back to v1; failed requests so far: ${load.failures.length}`);

    // Canary: 20% -> 50% -> 100% every 2 s while the candidate's error rate and p99 stay in bounds.
    keelJson(root, [
      ...["endpoint", "deploy", "flights", "--model", "models:/flights/2", "--strategy", "canary"],
      ...["--steps", "20,50,100", "--interval", "2s", "--min-requests", "10", "--max-p99-ms", "1000"],
    ]);
    await until("the canary's promotion", () => status().endpoint.policy.stable.version === "2");
    log(
      `canary: promoted v2 after ${status().events.filter((e) => e.type === "step_advanced").length + 1} steps`,
    );

    // Shadow: v1 gets a copy of every request; only v2's answers are returned.
    const shadowed = keelJson(root, [
      ...["endpoint", "deploy", "flights", "--model", "models:/flights/1", "--strategy", "shadow"],
    ]);
    await until("the server applying the shadow", () => status().server?.revision >= shadowed.revision);
    await sleep(300);
    load.reset();
    await sleep(2000);
    shadowAnswers = { ...load.byVersion };
    log(`shadow: answers returned by version ${JSON.stringify(shadowAnswers)} (v1 only shadows)`);
  } finally {
    await load.stop();
    await server.stop();
  }
  const compare = keelJson(root, ["endpoint", "compare", "flights"]);
  const final = status();
  for (const e of final.events) log(`  #${e.seq} ${e.type.padEnd(12)} ${e.message}`);
  log(`failed client requests during all rollouts: ${load.failures.length}`);
  return {
    failures: load.failures,
    events: final.events,
    compare,
    final,
    shadowAnswers,
    lookAt: `cd ${root} && npx keel endpoint status flights && npx keel server   (open /endpoints/flights)`,
  };
}
