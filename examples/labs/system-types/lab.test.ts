import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../../packages/keel/test/support/temp-dir.js";
// @ts-expect-error: the lab is plain JavaScript run by learners with `npm run lab`
import { runLab } from "./lab.mjs";

describe("lab: ML system types", () => {
  const t = makeTempDir("lab-system-types");
  afterAll(() => t.cleanup());

  it("the same model as batch, online and in-process: same answers, different latency and throughput", async () => {
    const r = await runLab({ dir: join(t.dir, "p"), requests: 120 });
    type Row = { mode: string; p50: number | null; p99: number | null; throughput: number };
    const rows = r.rows as Row[];
    expect(rows.map((x) => x.mode)).toEqual([
      "batch (keel predict)",
      "online (keel serve, HTTP)",
      "in-process (@keel/runtime)",
    ]);
    expect(r.batch.rows).toBe(200_000);
    expect(r.agree).toBe(true);
    for (const row of rows) expect(row.throughput).toBeGreaterThan(0);
    const [batch, online, local] = rows as [Row, Row, Row];
    // The lesson, in orders of magnitude: batch scores far more rows per second than one-row calls.
    expect(batch.throughput).toBeGreaterThan(online.throughput);
    expect(local.p50!).toBeGreaterThan(0);
    expect(online.p99!).toBeGreaterThanOrEqual(online.p50!);
  }, 120_000);
});
