// Lab: data versioning. See README.md beside this file.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { scaffoldProject, vegaDatasetPath } from "keel";
import { keel, keelJson } from "../lab-kit.mjs";

const sha256 = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

function useRemote(project, remoteDir) {
  const yamlPath = join(project, "keel.yaml");
  const yaml = readFileSync(yamlPath, "utf8").replace(
    /^remotes: \{\}$/m,
    `remotes:\n  default:\n    url: ${remoteDir}`,
  );
  writeFileSync(yamlPath, yaml);
}

/** Run the lab in `dir`; returns what a test (or a curious learner) checks. */
export async function runLab({ dir, log = () => {} }) {
  const root = resolve(dir);
  rmSync(root, { recursive: true, force: true });
  const a = join(root, "alice");
  const b = join(root, "bob");
  const remote = join(root, "remote");
  scaffoldProject(a, { name: "weather" });
  scaffoldProject(b, { name: "weather" });
  useRemote(a, remote);
  useRemote(b, remote);

  const data = join(a, "data", "weather.csv");
  copyFileSync(vegaDatasetPath("seattle-weather.csv"), data);
  const v1Hash = sha256(data);
  const v1 = keelJson(a, ["data", "add", "data/weather.csv"])[0];
  log(`1. added ${v1.name}@${v1.version} (sha256 ${v1.digest.slice(0, 12)}), pointer ${v1.pointer}`);

  const fixed = readFileSync(data, "utf8").replace(/^(2012-01-\d\d,.*),drizzle$/gm, "$1,rain");
  writeFileSync(data, fixed);
  const status = keelJson(a, ["data", "status"]);
  const v2 = keelJson(a, ["data", "add", "data/weather.csv"])[0];
  log(
    `2. after the label fix: status ${JSON.stringify(status.entries?.map((e) => e.state) ?? status)}; added ${v2.name}@${v2.version}`,
  );

  const diff = keelJson(a, ["data", "diff", "weather@1", "weather@2", "--key", "date"]);
  const changes = diff.table.rowChanges;
  log(
    `3. diff weather@1 weather@2 --key date: ${changes.changed} rows changed (${changes.examples.changed.join(", ")}), ${changes.unchanged} unchanged`,
  );

  const v2Hash = sha256(data);
  const out = keel(a, ["data", "checkout", "data/weather.csv", "--version", "1"]);
  if (out.code !== 0) throw new Error(out.stderr);
  const restored = sha256(data) === v1Hash;
  log(`4. checkout --version 1: bytes identical to v1: ${restored}`);

  const pushed = keelJson(a, ["data", "push"]);
  copyFileSync(join(a, "data", "weather.csv.keel"), join(b, "data", "weather.csv.keel"));
  mkdirSync(join(b, "data"), { recursive: true });
  const pulled = keelJson(b, ["data", "pull"]);
  const same = sha256(join(b, "data", "weather.csv")) === sha256(data);
  log(`5. push -> pull into a second project: identical bytes: ${same}`);

  return {
    v1,
    v2,
    v1Hash,
    v2Hash,
    status,
    diff,
    restored,
    pushed,
    pulled,
    same,
    lookAt: `cd ${a} && npx keel data versions weather`,
  };
}
