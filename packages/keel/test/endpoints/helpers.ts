/**
 * Shared setup of the endpoint tests: three registered versions of `flights` trained for real
 * (v1 gbdt, v2 logistic regression, v3 a gbdt that also needs a `taxi_out` column the traffic
 * never sends, so every inference it is asked for fails its signature check), endpoint servers on
 * 127.0.0.1, and a bounded loopback load generator.
 */
import { join } from "node:path";
import { flightsFeaturesSql } from "../../src/datasets/flights.js";
import { trainModel } from "../../src/learn/train/train-model.js";
import type { EndpointSource } from "../../src/serve/endpoints/endpoint-admin.js";
import {
  type EndpointServerOptions,
  type RunningEndpointServer,
  startEndpointServer,
} from "../../src/serve/endpoints/endpoint-server.js";
import { hasEndpointStore } from "../../src/store/endpoint-store.js";
import { writeFromVega } from "../learn-train/helpers.js";
import { FLIGHTS, type FlightsFixture, flightsFixture, v2Inputs } from "../serve/helpers.js";

/** The flights fixture plus versions 2 (logreg) and 3 (fails at inference) and an endpoint source. */
export interface EndpointFixture extends FlightsFixture {
  /** Store + tracking URI for the endpoint library. */
  readonly source: EndpointSource;
}

/** Trains and registers flights v2 and v3 beside the fixture's v1. */
export async function endpointFixture(): Promise<EndpointFixture> {
  const base = await flightsFixture();
  const { project } = base;
  const train = join(project.dir, "flights-train.parquet");
  await trainModel(
    { data: train, target: "delayed", model: "logreg", register: "flights" },
    { tracker: project.tracker, cwd: project.dir },
  );
  const withTaxi = await writeFromVega(
    "flights-3m.parquet",
    flightsFeaturesSql("{src}", { where: "row_id < 2000", extra: { taxi_out: "distance % 37" } }),
    join(project.dir, "flights-taxi.parquet"),
  );
  await trainModel(
    { data: withTaxi, target: "delayed", model: "gbdt", params: { maxIter: 5 }, register: "flights" },
    { tracker: project.tracker, cwd: project.dir },
  );
  const store = project.tracker.store;
  if (!hasEndpointStore(store)) throw new Error("the test store keeps no endpoints");
  return { ...base, source: { store, trackingUri: project.trackingUri } };
}

/** Starts an endpoint server on a free port, silent, polling fast. */
export function serveEndpoint(
  fx: EndpointFixture,
  endpoint: string,
  options: Partial<EndpointServerOptions> = {},
): Promise<RunningEndpointServer> {
  return startEndpointServer({
    endpoint,
    source: fx.source,
    port: 0,
    logLevel: "silent",
    pollMs: 100,
    retireGraceMs: 200,
    predictionLogDir: join(fx.project.dir, "predictions", endpoint),
    ...options,
  });
}

/** What the load generator saw. */
export interface LoadResult {
  /** Requests sent. */
  readonly sent: number;
  /** Answers that were not 200, or network errors, with their text. */
  readonly failures: readonly string[];
  /** Answers per `model_version`. */
  readonly byVersion: Readonly<Record<string, number>>;
  /** Every answer: key header value (if any), request id, version, predicted label. */
  readonly answers: readonly Answer[];
}

/** One answered request. */
export interface Answer {
  /** Key header value sent, if any. */
  readonly key?: string;
  /** Request id. */
  readonly id: string;
  /** `model_version` of the answer. */
  readonly version: string;
  /** Predicted label. */
  readonly label: string;
}

/** Options of {@link startLoad}. */
export interface LoadOptions {
  /** Concurrent clients (default 8). */
  readonly clients?: number;
  /** Stop after this many requests in total (default: until `stop()`). */
  readonly count?: number;
  /** Key header to send, with a key per request (A/B). */
  readonly keyHeader?: string;
  /** Key of request `i`. */
  readonly keyOf?: (i: number) => string;
}

/** A running load: `stop()` ends it (after in-flight requests) and returns what it saw. */
export interface RunningLoad {
  /** Requests answered so far. */
  readonly sent: () => number;
  /** Resolves once the count is reached (or after stop). */
  readonly done: Promise<LoadResult>;
  /** Stops sending and resolves with the result. */
  stop(): Promise<LoadResult>;
}

/**
 * N concurrent loopback clients sending one-row V2 infer requests to `/v2/models/{endpoint}/infer`,
 * for a fixed count or until stopped (bounded either way by a 60 s safety stop).
 */
export function startLoad(url: string, endpoint: string, options: LoadOptions = {}): RunningLoad {
  const clients = options.clients ?? 8;
  const limit = options.count ?? Number.POSITIVE_INFINITY;
  let next = 0;
  let stopped = false;
  const failures: string[] = [];
  const byVersion: Record<string, number> = {};
  const answers: Answer[] = [];
  const deadline = Date.now() + 60_000;
  const client = async () => {
    while (!stopped && next < limit && Date.now() < deadline) {
      const i = next++;
      const key = options.keyOf?.(i);
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (key !== undefined && options.keyHeader) headers[options.keyHeader] = key;
      try {
        const res = await fetch(`${url}/v2/models/${endpoint}/infer`, {
          method: "POST",
          headers,
          body: JSON.stringify({ id: `load-${i}`, inputs: v2Inputs([FLIGHTS[i % FLIGHTS.length]!]) }),
        });
        const text = await res.text();
        if (res.status !== 200) failures.push(`${res.status} ${text}`);
        else {
          const body = JSON.parse(text) as {
            model_version: string;
            id: string;
            outputs: { name: string; data: unknown[] }[];
          };
          const label = String(body.outputs.find((o) => o.name === "label")?.data[0]);
          byVersion[body.model_version] = (byVersion[body.model_version] ?? 0) + 1;
          answers.push({
            ...(key === undefined ? {} : { key }),
            id: body.id,
            version: body.model_version,
            label,
          });
        }
      } catch (e) {
        failures.push(String(e));
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, client)).then(() => ({
    sent: answers.length + failures.length,
    failures,
    byVersion,
    answers,
  }));
  return {
    sent: () => answers.length + failures.length,
    done,
    stop() {
      stopped = true;
      return done;
    },
  };
}

/** Polls `check` every 50 ms until it returns true or `ms` pass (then throws with `what`). */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 20_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}
