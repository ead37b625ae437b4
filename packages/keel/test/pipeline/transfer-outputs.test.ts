/**
 * `keel data push` / `pull` move pipeline outputs too (as `dvc push` / `dvc pull` do): a
 * teammate's clone gets keel.lock from git and the outputs from the remote, byte for byte.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { listObjectKeys } from "../../src/data/versioning/object-folder.js";
import { objectKey } from "../../src/data/versioning/object-key.js";
import { readLock } from "../../src/pipeline/lockfile.js";
import { keel } from "../cli/run-cli.js";
import { makeTempDir } from "../support/temp-dir.js";
import { makePipelineProject, type PipelineProject, standardProject } from "./project.js";

const OUTPUTS = ["data/prepared.txt", "data/features/part.txt", "model.txt", "metrics.json", "report.txt"];

let p: PipelineProject;
let temp: { dir: string; cleanup: () => void };
let remoteDir: string;

beforeEach(() => {
  temp = makeTempDir("keel-pipe-transfer");
  remoteDir = join(temp.dir, "remote");
  p = makePipelineProject("keel-pipe-transfer-a");
  standardProject(p);
  appendFileSync(p.path("keel.yaml"), `remotes:\n  default:\n    url: ${remoteDir}\n`);
  p.gitInit();
});
afterEach(async () => {
  await p.close();
  temp.cleanup();
});

/** A teammate's clone of the project's git repository (no outputs, no cache). */
function cloneOf(name: string): string {
  const dir = join(temp.dir, name);
  execFileSync("git", ["clone", "-q", p.root, dir]);
  return dir;
}

it("push sends every cached output; pull in a fresh clone restores them byte for byte", async () => {
  await p.run();
  p.git("add", "-A");
  p.git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "v1");

  const pushed = keel(p.root, ["data", "push", "--json"]);
  expect(pushed.code, pushed.stderr).toBe(0);
  const push = JSON.parse(pushed.stdout) as { recorded: number; pointers: number; transferred: number };
  expect(push).toMatchObject({ recorded: 5, pointers: 0 });
  const onRemote = await listObjectKeys(remoteDir);
  for (const stage of (await readLock(p.root)).values()) {
    for (const out of stage.outs) expect(onRemote.has(objectKey(out.hash.value, out.meta.isdir))).toBe(true);
  }
  // Nothing new the second time.
  const again = JSON.parse(keel(p.root, ["data", "push", "--json"]).stdout) as { transferred: number };
  expect(again.transferred).toBe(0);

  const b = cloneOf("b");
  for (const out of OUTPUTS) expect(existsSync(join(b, out))).toBe(false);
  const pulled = keel(b, ["data", "pull"]);
  expect(pulled.code, pulled.stderr).toBe(0);
  expect(pulled.stdout).toMatch(/model\.txt \(stage train\): 1 restored/);
  for (const out of OUTPUTS) expect(readFileSync(join(b, out), "utf8")).toBe(p.read(out));
  // The clone is up to date: nothing would run.
  const status = keel(b, ["status", "--json"]);
  expect(status.code, status.stderr).toBe(0);
  const plans = JSON.parse(status.stdout) as { stage: string; action: string }[];
  expect(plans.map((s) => s.action)).toEqual(plans.map(() => "skip"));
});

it("a target naming an output moves that output only; a target naming nothing is an error", async () => {
  await p.run();
  p.git("add", "-A");
  p.git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "v1");

  const one = keel(p.root, ["data", "push", "model.txt", "--json"]);
  expect(one.code, one.stderr).toBe(0);
  expect(JSON.parse(one.stdout)).toMatchObject({ recorded: 1, pointers: 0, transferred: 1 });
  // A folder output by a path inside it.
  const inside = keel(p.root, ["data", "push", "data/features/part.txt", "--json"]);
  expect(inside.code, inside.stderr).toBe(0);
  expect(JSON.parse(inside.stdout)).toMatchObject({ recorded: 1, pointers: 0 });

  const b = cloneOf("b");
  const pulled = keel(b, ["data", "pull", "model.txt"]);
  expect(pulled.code, pulled.stderr).toBe(0);
  expect(readFileSync(join(b, "model.txt"), "utf8")).toBe(p.read("model.txt"));
  expect(existsSync(join(b, "report.txt"))).toBe(false);

  // report.txt was never pushed: pull says which objects and which output, and exits 1.
  const absent = keel(b, ["data", "pull", "report.txt"]);
  expect(absent.code).toBe(1);
  expect(absent.stderr).toMatch(/1 object\(s\) are not in remote 'default'/);
  expect(absent.stderr).toMatch(/report\.txt: its data is neither on remote 'default' nor in the cache/);
  expect(existsSync(join(b, "report.txt"))).toBe(false);

  const nothing = keel(p.root, ["data", "push", "no/such/thing.csv"]);
  expect(nothing.code).not.toBe(0);
  expect(nothing.stderr).toMatch(/no\/such\/thing\.csv/);
});
