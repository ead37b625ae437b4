/**
 * SQLite under several processes: concurrent writers lose nothing, fresh-database migrations race
 * safely, and a writer killed with SIGKILL loses no acknowledged batch (and leaves no half batch).
 * The child processes run the compiled store (`npm test` builds it first).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import { makeTempDir } from "../support/temp-dir.js";

const LOGGER = fileURLToPath(new URL("./fixtures/metric-logger.mjs", import.meta.url));
const COMPILED = fileURLToPath(new URL("../../dist/store/open-metadata-store.js", import.meta.url));

const temp = makeTempDir("keel-sqlite-concurrency");
afterAll(() => temp.cleanup());

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function requireCompiledStore(): void {
  if (!existsSync(COMPILED)) {
    throw new Error(`${COMPILED} is missing: build first with \`npx tsc -b packages/keel\` (npm test does).`);
  }
}

/** Start a logger child; `lines` yields its stdout lines. */
function startLogger(args: (string | number)[]): { child: ChildProcess; lines: AsyncIterable<string> } {
  const child = spawn(process.execPath, [LOGGER, ...args.map(String)], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  child.on("exit", (code) => {
    if (code !== 0 && code !== null) console.error(`logger exited with ${code}: ${stderr}`);
  });
  return { child, lines: createInterface({ input: child.stdout! }) };
}

/** Resolve with the exit code once the child ends. */
function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

describe("SQLite store with several processes", () => {
  it("keeps every metric logged by 8 concurrent writer processes", async () => {
    requireCompiledStore();
    const db = `${temp.dir}/concurrent/keel.db`;
    const setup = await openMetadataStore(db);
    const run = await setup.createRun({ experimentId: "0" });
    await setup.close();

    const WORKERS = 8;
    const BATCHES = 40;
    const PER_BATCH = 25;
    const loggers = Array.from({ length: WORKERS }, (_, w) =>
      startLogger([db, run.info.runId, w, BATCHES, PER_BATCH]),
    );
    const codes = await Promise.all(loggers.map((l) => exited(l.child)));
    expect(codes).toEqual(Array(WORKERS).fill(0));

    const store = await openMetadataStore(db);
    try {
      const logged = await store.getRun(run.info.runId);
      expect(logged.data.params).toHaveLength(WORKERS);
      for (let w = 0; w < WORKERS; w++) {
        const history = await store.getMetricHistory(run.info.runId, `w${w}`);
        expect(history.items.map((m) => m.step)).toEqual(
          Array.from({ length: BATCHES * PER_BATCH }, (_, i) => i),
        );
        const latest = logged.data.metrics.find((m) => m.key === `w${w}`);
        expect(latest?.step).toBe(BATCHES * PER_BATCH - 1);
        expect(logged.data.tags).toContainEqual({ key: `progress-${w}`, value: String(BATCHES - 1) });
      }
    } finally {
      await store.close();
    }
  }, 120_000);

  it("migrates a fresh database safely when several processes open it at once", async () => {
    requireCompiledStore();
    const db = `${temp.dir}/fresh/keel.db`;
    const loggers = Array.from({ length: 4 }, (_, w) => startLogger([db, "-", w, 0, 0]));
    const runIds = await Promise.all(
      loggers.map(async ({ lines }) => {
        for await (const line of lines) if (line.startsWith("run ")) return line.slice(4);
        return undefined;
      }),
    );
    expect(await Promise.all(loggers.map((l) => exited(l.child)))).toEqual([0, 0, 0, 0]);
    const store = await openMetadataStore(db);
    try {
      const found = await store.searchRuns({ experimentIds: ["0"] });
      expect(found.items.map((r) => r.info.runId).sort()).toEqual([...runIds].sort());
      expect((await store.searchExperiments()).items.map((e) => e.name)).toEqual(["Default"]);
    } finally {
      await store.close();
    }
  }, 120_000);

  it("serves two stores of one process on the same file without deadlock", async () => {
    const db = `${temp.dir}/same-process/keel.db`;
    const [a, b] = await Promise.all([openMetadataStore(db), openMetadataStore(db)]);
    const run = await a.createRun({ experimentId: "0" });
    const writes = Array.from({ length: 40 }, (_, i) =>
      (i % 2 === 0 ? a : b).logBatch(run.info.runId, {
        metrics: [{ key: "m", value: i, step: i, timestamp: 1 }],
        params: [{ key: `p${i}`, value: String(i) }],
      }),
    );
    await Promise.all(writes);
    await a.close();
    // The other store keeps working after the first one closed its share of the connection.
    const logged = await b.getRun(run.info.runId);
    expect(logged.data.params).toHaveLength(40);
    expect((await b.getMetricHistory(run.info.runId, "m")).items).toHaveLength(40);
    await b.close();
  }, 60_000);

  // 400 acknowledged batches: past the point where the writer starts its background checkpoints.
  it.each([60, 400])(
    "keeps every acknowledged batch of a writer killed with SIGKILL after %i, and no partial batch",
    async (killAfter) => {
      requireCompiledStore();
      const db = `${temp.dir}/killed-${killAfter}/keel.db`;
      const setup = await openMetadataStore(db);
      const run = await setup.createRun({ experimentId: "0" });
      await setup.close();

      const PER_BATCH = 50;
      const { child, lines } = startLogger([db, run.info.runId, 0, 100_000, PER_BATCH]);
      let acked = -1;
      for await (const line of lines) {
        if (!line.startsWith("ack ")) continue;
        acked = Number(line.slice(4));
        if (acked >= killAfter) {
          child.kill("SIGKILL");
          break;
        }
      }
      await exited(child);
      expect(child.signalCode).toBe("SIGKILL");

      const store = await openMetadataStore(db);
      try {
        const steps = (await store.getMetricHistory(run.info.runId, "w0")).items.map((m) => m.step);
        // Every acknowledged batch is there; a batch in flight is either whole or absent.
        expect(steps.length).toBeGreaterThanOrEqual((acked + 1) * PER_BATCH);
        expect(steps.length % PER_BATCH).toBe(0);
        expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => i));
        // The store is still writable after the crash.
        await store.logBatch(run.info.runId, {
          metrics: [{ key: "after", value: 1, step: 0, timestamp: 1 }],
        });
      } finally {
        await store.close();
      }
    },
    120_000,
  );
});
