import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scaffoldProject } from "../../src/project/scaffold.js";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import { makeTempDir } from "../support/temp-dir.js";
import { keel, keelJson } from "./run-cli.js";

/** The pid of a process that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  }).stdout as unknown as number;
}

describe("keel runs fail-stale", () => {
  const t = makeTempDir("keel-stale");
  afterAll(() => t.cleanup());

  it("marks runs of dead processes FAILED, leaves live ones, and --dry-run changes nothing", async () => {
    scaffoldProject(t.dir);
    const store = await openMetadataStore(join(t.dir, ".keel", "keel.db"));
    const exp = await store.createExperiment("crashy");
    const tags = (pid: number) => [
      { key: "keel.pid", value: String(pid) },
      { key: "keel.host", value: hostname() },
    ];
    const crashed = await store.createRun({
      experimentId: exp,
      runName: "crashed",
      tags: tags(Number(deadPid())),
    });
    const alive = await store.createRun({ experimentId: exp, runName: "alive", tags: tags(process.pid) });
    await store.close();

    const dry = keelJson<{ runs: { runId: string; reason: string }[] }>(t.dir, [
      "runs",
      "fail-stale",
      "--dry-run",
    ]);
    expect(dry.runs.map((r) => r.runId)).toEqual([crashed.info.runId]);
    expect(dry.runs[0]!.reason).toMatch(/process \d+ on .* is gone/);

    const r = keel(t.dir, ["runs", "fail-stale"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Marked 1 run\(s\) FAILED/);
    const after = await openMetadataStore(join(t.dir, ".keel", "keel.db"));
    expect((await after.getRun(crashed.info.runId)).info.status).toBe("FAILED");
    expect((await after.getRun(alive.info.runId)).info.status).toBe("RUNNING");
    await after.close();

    const bad = keel(t.dir, ["runs", "fail-stale", "--older-than", "soon"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--older-than 'soon' is not a duration/);
  });
});
