/** Alert delivery against real HTTP servers on 127.0.0.1: retries, backoff, timeouts, no throw. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { postAlert } from "../../src/monitor/watch/webhook-alert.js";
import { startWebhook, type Webhook } from "./helpers.js";

const hooks: Webhook[] = [];
afterAll(async () => {
  await Promise.all(hooks.map((h) => h.close()));
});

async function hook(statusOf: (n: number) => number): Promise<Webhook> {
  const h = await startWebhook(statusOf);
  hooks.push(h);
  return h;
}

describe("postAlert", () => {
  it("retries a failing webhook with exponential backoff until it answers 2xx", async () => {
    const h = await hook((n) => (n < 2 ? 503 : 200));
    const started = Date.now();
    const d = await postAlert(
      h.url,
      { endpoint: "flights", kind: "data_drift" },
      { attempts: 4, backoffMs: 40 },
    );
    expect(d).toEqual({ url: h.url, delivered: true, attempts: 3, status: 200, error: null });
    expect(h.received).toEqual(Array(3).fill({ endpoint: "flights", kind: "data_drift" }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(40 + 80); // waited 40 ms, then 80 ms
  });

  it("gives up after the bounded attempts and reports the last error", async () => {
    const h = await hook(() => 500);
    const d = await postAlert(h.url, { a: 1 }, { attempts: 3, backoffMs: 5 });
    expect(d).toMatchObject({ delivered: false, attempts: 3, status: 500, error: "HTTP 500" });
    expect(h.received).toHaveLength(3);
  });

  it("does not retry a 4xx that retrying cannot fix, but retries 429", async () => {
    const bad = await hook(() => 400);
    expect(await postAlert(bad.url, {}, { attempts: 4, backoffMs: 5 })).toMatchObject({
      delivered: false,
      attempts: 1,
      status: 400,
    });
    const busy = await hook((n) => (n === 0 ? 429 : 204));
    expect(await postAlert(busy.url, {}, { attempts: 4, backoffMs: 5 })).toMatchObject({
      delivered: true,
      attempts: 2,
      status: 204,
    });
  });

  it("times out a webhook that never answers, and a refused connection is an error, never a throw", async () => {
    const silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`;
    try {
      const d = await postAlert(url, {}, { attempts: 2, backoffMs: 5, timeoutMs: 150 });
      expect(d).toMatchObject({
        delivered: false,
        attempts: 2,
        status: null,
        error: "no answer within 150 ms",
      });
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
    const refused = await postAlert(url, {}, { attempts: 2, backoffMs: 5, timeoutMs: 500 });
    expect(refused.delivered).toBe(false);
    expect(refused.error).toMatch(/ECONNREFUSED|fetch failed/);
  });
});
