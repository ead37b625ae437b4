/** A scaffolded Keel project in a temp folder with its real SQLite store, for versioning tests. */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openWorkspace, type Workspace } from "../../src/data/versioning/workspace.js";
import { vegaDatasetPath } from "../../src/datasets/vega-datasets.js";
import { loadProject } from "../../src/project/keel-config.js";
import { scaffoldProject } from "../../src/project/scaffold.js";
import type { MetadataStore } from "../../src/store/metadata-store.js";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import { makeTempDir } from "../support/temp-dir.js";

/** The seattle-weather demo table (1,461 rows) shipped by vega-datasets. */
export const WEATHER_CSV = vegaDatasetPath("seattle-weather.csv");

/** The CLI fixture running `keel data ...` from the compiled package. */
export const KEEL_DATA = fileURLToPath(new URL("./fixtures/keel-data.mjs", import.meta.url));

/** A test project. */
export interface TestProject {
  root: string;
  ws: Workspace;
  store: MetadataStore;
  /** Re-read keel.yaml (after editing it). */
  reload(): Workspace;
  /** Absolute path of a root-relative path. */
  path(rel: string): string;
  close(): Promise<void>;
}

/** Scaffold a project (`keel init`) in a fresh temp folder and open its store. */
export async function makeProject(prefix = "keel-dv"): Promise<TestProject> {
  const temp = makeTempDir(prefix);
  const root = join(temp.dir, "proj");
  scaffoldProject(root, { name: "proj" });
  const store = await openMetadataStore(join(root, ".keel", "keel.db"));
  const reload = () => openWorkspace(loadProject(root));
  return {
    root,
    ws: reload(),
    store,
    reload,
    path: (rel) => join(root, ...rel.split("/")),
    close: async () => {
      await store.close();
      temp.cleanup();
    },
  };
}

/** Append a `remotes:` entry to keel.yaml (replacing the scaffold's empty map). */
export function setRemote(project: TestProject, name: string, url: string): void {
  const file = join(project.root, "keel.yaml");
  const text = readFileSync(file, "utf8").replace(/^remotes: \{\}$/m, "remotes:");
  writeFileSync(
    file,
    `${text.includes(`${name}:`) ? text : text.replace(/^remotes:$/m, `remotes:\n  ${name}:\n    url: ${url}`)}`,
  );
}

/** Result of one CLI call. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `keel data ARGS` in `cwd` as a separate process. */
export function keelData(cwd: string, args: string[]): CliRun {
  const r = spawnSync(process.execPath, [KEEL_DATA, ...args], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, KEEL_TRACKING_URI: "", KEEL_ARTIFACT_ROOT: "" },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Backdate a file's (or a folder's files') mtime by a minute. Files written within the stat
 * cache's racy window of being hashed are re-read next time; tests that count reads age their
 * files first, as files on disk usually are.
 */
export function age(path: string): void {
  const then = new Date(Date.now() - 60_000);
  const st = statSync(path);
  if (st.isDirectory()) for (const name of readdirSync(path)) age(join(path, name));
  else utimesSync(path, then, then);
}
