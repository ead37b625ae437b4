import http from "node:http";

// Load generator for bench/tracking, run as a separate process so it does not share the
// server's event loop. Loopback only; bounded by a duration and a request cap.
// usage: node client.mjs URL MODE CONCURRENCY SECONDS [RUN_IDS_JSON | EXPERIMENT_ID]
const [url, mode, concurrencyArg, secondsArg, extra] = process.argv.slice(2);
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url ?? "")) throw new Error(`loopback URL required, got ${url}`);
const concurrency = Number(concurrencyArg);
const deadline = Date.now() + Number(secondsArg) * 1000;
const MAX_REQUESTS = 2_000_000;

// node:http with a keep-alive agent: fetch (undici) costs several times more CPU per call and
// would make the client, not the server, the bottleneck on two cores.
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const { hostname, port } = new URL(url);

function post(path, body) {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        hostname,
        port,
        method: "POST",
        path: `/api/2.0/mlflow/${path}`,
        headers: { "content-type": "application/json", "content-length": data.length },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode !== 200) reject(new Error(`${path} -> ${res.statusCode} ${text.slice(0, 200)}`));
          else resolve(text);
        });
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

let requests = 0;
let items = 0;
const latencies = [];

async function loop(worker) {
  const runIds = extra ? JSON.parse(extra) : [];
  let step = 0;
  while (Date.now() < deadline && requests < MAX_REQUESTS) {
    const t0 = performance.now();
    if (mode === "log-metric") {
      await post("runs/log-metric", {
        run_id: runIds[worker % runIds.length],
        key: `m${worker}`,
        value: Math.random(),
        timestamp: Date.now(),
        step: step++,
      });
      items += 1;
    } else if (mode === "log-batch") {
      const ts = Date.now();
      const metrics = Array.from({ length: 1000 }, (_, i) => ({
        key: `m${i % 10}`,
        value: i * 0.5,
        timestamp: ts,
        step: step * 100 + Math.floor(i / 10),
      }));
      step++;
      await post("runs/log-batch", { run_id: runIds[worker % runIds.length], metrics });
      items += 1000;
    } else if (mode === "search") {
      const threshold = (0.2 + Math.random() * 0.6).toFixed(3);
      await post("runs/search", {
        experiment_ids: [extra],
        filter: `metrics.m0 > ${threshold} and params.p0 = 'v${step++ % 5}'`,
        order_by: ["metrics.m1 DESC"],
        max_results: 100,
      });
      items += 1;
    } else {
      throw new Error(`unknown mode ${mode}`);
    }
    requests++;
    latencies.push(performance.now() - t0);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, (_, i) => loop(i)));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
process.stdout.write(
  JSON.stringify({
    requests,
    items,
    seconds,
    perSecond: items / seconds,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
  }),
);
