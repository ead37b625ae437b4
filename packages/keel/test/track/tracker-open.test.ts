/** How Tracker.open finds its store: option > KEEL_TRACKING_URI > keel.yaml > .keel/keel.db. */
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import { Tracker } from "../../src/track/tracker.js";
import { tempDir } from "./helpers.js";

describe("Tracker.open", () => {
  let dir: string;
  let saved: Record<string, string | undefined>;
  beforeEach(async () => {
    dir = await tempDir();
    saved = {
      KEEL_TRACKING_URI: process.env.KEEL_TRACKING_URI,
      KEEL_ARTIFACT_ROOT: process.env.KEEL_ARTIFACT_ROOT,
      KEEL_EXPERIMENT_NAME: process.env.KEEL_EXPERIMENT_NAME,
    };
    for (const key of Object.keys(saved)) delete process.env[key];
  });
  afterEach(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it("defaults to .keel/keel.db and .keel/artifacts in the folder of keel.yaml", async () => {
    await writeFile(join(dir, "keel.yaml"), "project: demo\n");
    const cwd = join(dir, "src", "deep");
    await mkdir(cwd, { recursive: true });
    const tracker = await Tracker.open({ cwd });
    try {
      expect(tracker.mode).toBe("embedded");
      expect(tracker.trackingUri).toBe(join(dir, ".keel", "keel.db"));
      expect(existsSync(join(dir, ".keel", "keel.db"))).toBe(true);
      const run = await tracker.startRun({ experiment: "e" });
      expect(run.artifactUri.startsWith(pathToFileURL(join(dir, ".keel", "artifacts")).href)).toBe(true);
      await run.logText("x", "x.txt");
      await run.end();
      expect(existsSync(new URL(`${run.artifactUri}/x.txt`))).toBe(true);
    } finally {
      await tracker.close();
    }
  });

  it("uses tracking_uri from keel.yaml, relative to its folder", async () => {
    await writeFile(join(dir, "keel.yaml"), "tracking_uri: meta/store.db\n");
    await mkdir(join(dir, "meta"));
    const tracker = await Tracker.open({ cwd: join(dir) });
    expect(tracker.trackingUri).toBe(join(dir, "meta", "store.db"));
    await tracker.close();
  });

  it("prefers KEEL_TRACKING_URI to keel.yaml, and the option to both", async () => {
    await writeFile(join(dir, "keel.yaml"), "tracking_uri: from-yaml.db\n");
    process.env.KEEL_TRACKING_URI = join(dir, "from-env.db");
    const fromEnv = await Tracker.open({ cwd: dir });
    expect(fromEnv.trackingUri).toBe(join(dir, "from-env.db"));
    await fromEnv.close();
    const explicit = await Tracker.open({ cwd: dir, trackingUri: join(dir, "explicit.db") });
    expect(explicit.trackingUri).toBe(join(dir, "explicit.db"));
    await explicit.close();
  });

  it("names the bad file when keel.yaml is not YAML", async () => {
    await writeFile(join(dir, "keel.yaml"), "tracking_uri: [unclosed\n");
    await expect(Tracker.open({ cwd: dir })).rejects.toThrow(/keel\.yaml/);
  });

  it("uses a given store without closing it, and KEEL_EXPERIMENT_NAME as the default experiment", async () => {
    process.env.KEEL_EXPERIMENT_NAME = "from-env";
    const store = await openMetadataStore(join(dir, "shared.db"));
    try {
      const tracker = await Tracker.open({ store, cwd: dir });
      const run = await tracker.startRun();
      await run.end();
      await tracker.close();
      const exp = await store.getExperimentByName("from-env");
      expect(exp?.experimentId).toBe(run.experimentId);
      expect((await store.getRun(run.id)).info.status).toBe("FINISHED"); // still open after close()
      await expect(tracker.startRun()).rejects.toThrow(/closed/);
    } finally {
      await store.close();
    }
  });

  it("refuses runs in a deleted experiment, naming the fix", async () => {
    const tracker = await Tracker.open({ cwd: dir, trackingUri: join(dir, "k.db") });
    try {
      const exp = await tracker.createExperiment("gone");
      await tracker.store.deleteExperiment(exp.experimentId);
      const fresh = await Tracker.open({ cwd: dir, trackingUri: join(dir, "k.db") });
      await expect(fresh.startRun({ experiment: "gone" })).rejects.toThrow(/deleted; restore it/);
      await fresh.close();
    } finally {
      await tracker.close();
    }
  });
});
