/**
 * Shared setup of the watch tests: the flights model trained on January-March, an endpoint
 * serving it on 127.0.0.1, real flights rows replayed through it over HTTP with feedback, and a
 * local webhook server that records what it receives.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { sqlString } from "../../src/data/engine/sql-text.js";
import { flightsFeaturesSql } from "../../src/datasets/flights.js";
import { vegaDatasetPath } from "../../src/datasets/vega-datasets.js";
import { type FlightRow, v2Inputs } from "../serve/helpers.js";

/** A flights row with its true label. */
export interface LabelledFlight extends FlightRow {
  delayed: number;
}

/**
 * Rows of flights-3m.parquet (sorted by date) matching `where`, every `stride`-th of them from
 * `offset`, in time order, as BENCH_TASKS' flights features; written to `out` when given.
 */
export async function flightsRows(
  where: string,
  stride: number,
  offset: number,
  out?: string,
): Promise<LabelledFlight[]> {
  return DataSession.use(async (s) => {
    const src = await s.relationFrom(vegaDatasetPath("flights-3m.parquet"));
    const sql = flightsFeaturesSql(src, { where: `(${where}) AND row_id % ${stride} = ${offset}` });
    if (out !== undefined) await s.run(`COPY (${sql}) TO ${sqlString(out)}`);
    return (await s.query(sql)).map((r) => ({
      month: Number(r.month),
      day_of_week: Number(r.day_of_week),
      hour: Number(r.hour),
      distance: Number(r.distance),
      origin: String(r.origin),
      destination: String(r.destination),
      delayed: Number(r.delayed),
    }));
  });
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/**
 * Replays `rows` in order through `/v2/models/{endpoint}/infer`, one row per request with
 * `clients` requests in flight, and posts each row's true label as feedback for its request id.
 * Returns the predicted labels in row order.
 */
export async function replay(
  url: string,
  endpoint: string,
  rows: readonly LabelledFlight[],
  prefix: string,
  clients = 4,
): Promise<string[]> {
  const predicted: string[] = new Array(rows.length);
  let next = 0;
  const client = async () => {
    while (next < rows.length) {
      const i = next++;
      const row = rows[i] as LabelledFlight;
      const id = `${prefix}-${i}`;
      const body = (await postJson(`${url}/v2/models/${endpoint}/infer`, {
        id,
        inputs: v2Inputs([row]),
      })) as { outputs: { name: string; data: unknown[] }[] };
      predicted[i] = String(body.outputs.find((o) => o.name === "label")?.data[0]);
      await postJson(`${url}/v2/models/${endpoint}/feedback`, { request_id: id, label: row.delayed });
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return predicted;
}

/** A webhook on 127.0.0.1 that records JSON bodies and answers `statusOf(n)` to the n-th call (0-based). */
export interface Webhook {
  readonly url: string;
  /** Bodies received, every attempt included. */
  readonly received: unknown[];
  close(): Promise<void>;
}

/** Starts a {@link Webhook}; `statusOf` defaults to 200 for every call. */
export async function startWebhook(statusOf: (n: number) => number = () => 200): Promise<Webhook> {
  const received: unknown[] = [];
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = "";
      req.on("data", (c) => {
        text += String(c);
      });
      req.on("end", () => resolve(text));
    });
  const server: Server = createServer(async (req, res) => {
    const text = await read(req);
    const n = received.length;
    received.push(JSON.parse(text));
    res.statusCode = statusOf(n);
    res.end("{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** `node -e` command appending one line (with the drift run id) to `file`. */
export function appendLineCommand(file: string): string {
  const js = `require("fs").appendFileSync(${JSON.stringify(file)}, process.env.KEEL_DRIFT_RUN_ID + "\\n")`;
  return `${JSON.stringify(process.execPath)} -e '${js}'`;
}

/** Path helper: a file in the project. */
export const inProject = (dir: string, name: string) => join(dir, name);
