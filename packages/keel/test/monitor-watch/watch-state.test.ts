/** Episodes, persisted state, the watch lock and the feedback cursor, on real files. */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { feedDetectors } from "../../src/monitor/watch/concept-monitor.js";
import { stepEpisode } from "../../src/monitor/watch/drift-episode.js";
import { readNewOutcomes } from "../../src/monitor/watch/labelled-stream.js";
import { acquireWatchLock } from "../../src/monitor/watch/watch-lock.js";
import {
  initialWatchState,
  loadWatchState,
  saveWatchState,
  WATCH_STATE_FILE,
} from "../../src/monitor/watch/watch-state.js";
import { recordFeedback } from "../../src/serve/prediction-log/feedback-log.js";
import { logTime } from "../../src/serve/prediction-log/log-schema.js";
import { makeTempDir } from "../support/temp-dir.js";

const tmp = makeTempDir("keel-watch-state");
afterAll(() => tmp.cleanup());

describe("drift episodes (hysteresis)", () => {
  it("open on the first drifting check, stay open while drifting or empty, close on the first quiet check", () => {
    let s = stepEpisode(null, 0, "no_drift", 1, "r1");
    expect(s).toMatchObject({ episode: null, opened: false, closed: false });
    s = stepEpisode(s.episode, s.episodes, "drift", 2, "r2");
    expect(s).toMatchObject({
      opened: true,
      episodes: 1,
      episode: { number: 1, active: true, startRunId: "r2", alerted: false },
    });
    s = stepEpisode({ ...s.episode!, alerted: true }, s.episodes, "drift", 3, "r3");
    expect(s).toMatchObject({ opened: false, episode: { number: 1, alerted: true } });
    s = stepEpisode(s.episode, s.episodes, "no_data", 4, "r4");
    expect(s).toMatchObject({ opened: false, closed: false, episode: { active: true } });
    s = stepEpisode(s.episode, s.episodes, "no_drift", 5, "r5");
    expect(s).toMatchObject({ closed: true, episode: { number: 1, active: false, endedAt: 5 } });
    s = stepEpisode(s.episode, s.episodes, "drift", 6, "r6");
    expect(s).toMatchObject({
      opened: true,
      episodes: 2,
      episode: { number: 2, alerted: false, commandRan: false },
    });
  });
});

describe("watch state file", () => {
  it("round-trips, starts fresh when missing, and rejects a corrupt file or another endpoint's", async () => {
    const dir = join(tmp.dir, "state");
    expect(await loadWatchState(dir, "flights")).toEqual(initialWatchState("flights"));
    const s = initialWatchState("flights");
    feedDetectors(
      s.detectors,
      [{ key: "a/0", version: "1", time: 1, labelTime: 2, wrong: true, absError: null }],
      {
        classification: "ddm",
        regression: "page-hinkley",
      },
    );
    s.labelCursor = 2;
    await saveWatchState(dir, s);
    expect(await loadWatchState(dir, "flights")).toEqual(s);
    await expect(loadWatchState(dir, "other")).rejects.toThrow(/belongs to endpoint 'flights'/);
    await writeFile(join(dir, WATCH_STATE_FILE), "{not json");
    await expect(loadWatchState(dir, "flights")).rejects.toMatchObject({ code: "INVALID_STATE" });
  });

  it("a second watcher of the same endpoint is refused; a stale lock is taken over", async () => {
    const dir = join(tmp.dir, "lock");
    await mkdir(dir, { recursive: true });
    const release = await acquireWatchLock(dir, "flights");
    await expect(acquireWatchLock(dir, "flights")).rejects.toThrow(/already watched by process \d+/);
    await release();
    await writeFile(join(dir, "watch.lock"), "999999999"); // no such process
    const again = await acquireWatchLock(dir, "flights");
    await again();
  });
});

describe("feedback cursor", () => {
  it("feeds each label once, including one recorded late with an older time", async () => {
    const dir = join(tmp.dir, "log");
    await mkdir(dir, { recursive: true });
    const t0 = Date.parse("2024-05-01T00:00:00Z");
    const rows = [0, 1, 2].map((i) => ({
      request_id: `r${i}`,
      row: 0,
      time: logTime(t0 + i * 1000),
      endpoint: "e",
      model: "m",
      version: "1",
      inputs: { x: i },
      outputs: { label: "1", probabilities: [0.4, 0.6] },
      latency_ms: 1,
      shadow: false,
    }));
    await writeFile(join(dir, "predictions-x.jsonl"), `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    await recordFeedback(dir, "r0", 1, { time: t0 + 5000 });
    await recordFeedback(dir, "r2", 0, { time: t0 + 6000 });
    await DataSession.use(async (session) => {
      const first = await readNewOutcomes(session, dir, Number.NEGATIVE_INFINITY, []);
      expect(first.outcomes.map((o) => [o.key, o.wrong])).toEqual([
        ["r0/0", false],
        ["r2/0", true],
      ]);
      expect(first.labelCursor).toBe(t0 + 6000);
      // Written after the first read, but stamped before its cursor (within the settle lag).
      await recordFeedback(dir, "r1", 1, { time: t0 + 5500 });
      const second = await readNewOutcomes(session, dir, first.labelCursor, first.recentKeys);
      expect(second.outcomes.map((o) => o.key)).toEqual(["r1/0"]);
      const third = await readNewOutcomes(session, dir, second.labelCursor, second.recentKeys);
      expect(third.outcomes).toEqual([]);
    });
  });
});
