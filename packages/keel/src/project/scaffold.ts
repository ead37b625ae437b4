import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { KeelError } from "../errors.js";

/** Options for {@link scaffoldProject}. */
export interface ScaffoldOptions {
  /** Project name (default: the folder's name). */
  name?: string | undefined;
  /** Overwrite files that already exist. */
  force?: boolean | undefined;
}

/** What {@link scaffoldProject} did. */
export interface ScaffoldResult {
  root: string;
  created: string[];
  overwritten: string[];
}

function files(name: string): Record<string, string> {
  return {
    "keel.yaml": `# Keel project file: intent (what to track and run). Facts go to keel.lock.
project: ${name}
# Where runs, models and datasets are recorded. A path means an embedded SQLite file;
# also postgresql://user@host/db or http://host:5055 (a shared \`keel server\`).
tracking_uri: .keel/keel.db
# Where artifacts (model packages, reports) are stored in embedded mode.
artifact_root: .keel/artifacts
# Data remotes for \`keel data push/pull\`.
remotes: {}
# Pipeline stages for \`keel run\` go here.
stages: {}
`,
    "params.yaml": `# Parameters read by pipeline stages (referenced by key from keel.yaml).
seed: 0
split:
  test: 0.2
train:
  model: gbdt
  learning_rate: 0.1
  max_depth: 6
`,
    ".gitignore": `# Keel's local state: metadata store, data cache, artifacts, temp files.
.keel/
node_modules/
`,
    "README.md": `# ${name}

A Keel project.

| path | what lives there |
| --- | --- |
| \`keel.yaml\` | project settings and pipeline stages (committed) |
| \`params.yaml\` | parameters the stages read (committed) |
| \`keel.lock\` | hashes of each stage's inputs and outputs (committed, written by \`keel run\`) |
| \`data/\` | data files; commit only their \`.keel\` pointer files |
| \`src/\` | your code: feature engineering, custom stages |
| \`.keel/\` | local store, data cache and artifacts (never committed) |

Start with \`keel runs list\`, \`keel models list\` and \`keel server\` (UI and MLflow-compatible API).
`,
    "data/README.md": `Data files live here. Track them with \`keel data add data/FILE\` and commit the \`FILE.keel\` pointer.
`,
    "src/README.md": `Project code (feature engineering, custom pipeline stages) lives here.
`,
  };
}

/**
 * Create the recommended project layout in `dir` (the "ML project structure" lesson). Refuses
 * to touch existing files unless `force`; nothing is written when any file would be refused.
 */
export function scaffoldProject(dir: string, options: ScaffoldOptions = {}): ScaffoldResult {
  const root = resolve(dir);
  const name = options.name ?? basename(root);
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `Invalid project name '${name}': use letters, digits, '.', '_' or '-' (pass --name)`,
    );
  }
  const plan = Object.entries(files(name)).map(([rel, body]) => ({ rel, path: join(root, rel), body }));
  const existing = plan.filter((f) => existsSync(f.path)).map((f) => f.rel);
  if (existing.length > 0 && !options.force) {
    throw new KeelError(
      "RESOURCE_ALREADY_EXISTS",
      `Refusing to overwrite existing files in ${root}: ${existing.join(", ")} (use --force to overwrite)`,
    );
  }
  for (const f of plan) {
    mkdirSync(dirname(f.path), { recursive: true });
    // Temp file + rename: an interrupted init never leaves a half-written keel.yaml.
    const tmp = `${f.path}.tmp-${process.pid}`;
    writeFileSync(tmp, f.body);
    renameSync(tmp, f.path);
  }
  return {
    root,
    created: plan.filter((f) => !existing.includes(f.rel)).map((f) => f.rel),
    overwritten: existing,
  };
}
