import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Tracker } from "../../src/track/tracker.js";
import { makeTempDir } from "../support/temp-dir.js";

describe("ActiveRun.logInput with a dataset reference", () => {
  const t = makeTempDir("keel-loginput-ref");
  afterAll(() => t.cleanup());

  it("resolves NAME@N to the stored version and records it as the run's input", async () => {
    const tracker = await Tracker.open({
      trackingUri: join(t.dir, "keel.db"),
      cwd: t.dir,
      handleProcessExit: false,
    });
    try {
      const v = await tracker.store.createDatasetVersion({
        name: "weather",
        digest: "a".repeat(64),
        size: 10,
        fileCount: 1,
        path: "data/weather.csv",
      });
      const run = await tracker.startRun({ experiment: "refs" });
      await run.logInput("weather@latest", "train");
      await expect(run.logInput("weather@7")).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
      await run.end();
      const [input] = (await tracker.store.getRun(run.id)).inputs.datasetInputs;
      expect(input!.dataset).toMatchObject({ name: "weather", version: v.version, digest: v.digest });
      expect(input!.tags).toContainEqual({ key: "mlflow.data.context", value: "train" });
      const usage = await tracker.store.findDatasetUsage("weather", v.version);
      expect(usage.runs.map((r) => r.runId)).toEqual([run.id]);
    } finally {
      await tracker.close();
    }
  });
});
