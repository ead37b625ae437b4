// Lab: ML project structure. See README.md beside this file.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { scaffoldProject, Tracker } from "keel";
import { keel } from "../lab-kit.mjs";

/** Run the lab in `dir`; returns what a test (or a curious learner) checks. */
export async function runLab({ dir, log = () => {} }) {
  const root = resolve(dir);
  rmSync(root, { recursive: true, force: true });
  const created = scaffoldProject(root, { name: "structure-lab" }).created;
  log(`1. keel init created: ${created.join(", ")}`);

  execFileSync("git", ["init", "-q", root]);
  const ignored = (path) => spawnSync("git", ["-C", root, "check-ignore", "-q", path]).status === 0;
  const gitView = Object.fromEntries(
    [".keel/keel.db", "keel.yaml", "params.yaml", "data/README.md"].map((p) => [p, ignored(p)]),
  );
  log(`2. ignored by git: ${JSON.stringify(gitView)}`);

  const again = keel(root, ["init", root]);
  log(`3. keel init again -> exit ${again.code}: ${again.stderr.trim()}`);

  const tracker = await Tracker.open({ cwd: root, experiment: "structure-lab", handleProcessExit: false });
  const run = await tracker.startRun({ runName: "first-run" });
  await run.logParams({ seed: 0 });
  await run.end();
  await tracker.close();
  const keelDir = readdirSync(join(root, ".keel"));
  log(`4. .keel/ now holds: ${keelDir.join(", ")}`);

  return {
    created,
    gitView,
    reinitExit: again.code,
    reinitMessage: again.stderr,
    storeExists: existsSync(join(root, ".keel", "keel.db")),
    lookAt: `Open ${root} and compare it with the table in docs/project.md.`,
  };
}
