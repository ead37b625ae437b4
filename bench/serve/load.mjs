// A small keep-alive HTTP load generator for bench/serve: closed loop (C connections, each sends
// its next request when the previous answer arrived) or open loop (a fixed request rate).
import http from "node:http";

const pct = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

function once(agent, url, body) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = http.request(
      url,
      {
        agent,
        method: body ? "POST" : "GET",
        headers: body ? { "content-type": "application/json", "content-length": body.length } : {},
      },
      (res) => {
        res.on("data", () => {});
        res.on("end", () =>
          res.statusCode === 200
            ? resolve(performance.now() - t)
            : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Closed loop: `connections` keep-alive clients for `seconds` (after `warmup` s). */
export async function closedLoop(url, body, { connections, seconds = 5, warmup = 1 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const buf = body ? Buffer.from(body) : undefined;
  const lat = [];
  let errors = 0;
  const start = performance.now();
  const measureFrom = start + warmup * 1000;
  const end = measureFrom + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          const ms = await once(agent, url, buf);
          if (t >= measureFrom) lat.push(ms);
        } catch {
          errors++;
        }
      }
    }),
  );
  agent.destroy();
  lat.sort((a, b) => a - b);
  return { rps: lat.length / seconds, p50: pct(lat, 0.5), p99: pct(lat, 0.99), errors };
}

/** Open loop: `rate` requests per second for `seconds`; latency of each. */
export async function openLoop(url, body, { rate, seconds = 5 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const buf = body ? Buffer.from(body) : undefined;
  const lat = [];
  let errors = 0;
  const pending = [];
  const t0 = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      once(agent, url, buf).then(
        (ms) => lat.push(ms),
        () => errors++,
      ),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  lat.sort((a, b) => a - b);
  return {
    rps: lat.length / ((performance.now() - t0) / 1000),
    p50: pct(lat, 0.5),
    p99: pct(lat, 0.99),
    errors,
  };
}
