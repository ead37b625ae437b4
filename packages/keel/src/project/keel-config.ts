import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { invalidParam } from "../errors.js";

/** File name of the project file. */
export const KEEL_YAML = "keel.yaml";
/** Folder of local state (store, cache, artifacts), always gitignored. */
export const KEEL_DIR = ".keel";

/** Schema of `keel.yaml`'s top level. Later issues add `stages:` and more remote kinds. */
export const KeelConfigSchema = z
  .object({
    project: z.string().min(1).optional(),
    /** A path (SQLite), `postgresql://...` or `http(s)://host:port` (a remote `keel server`). */
    tracking_uri: z.string().min(1).optional(),
    /** Where artifacts go in embedded mode: a folder path or `file://` URI. */
    artifact_root: z.string().min(1).optional(),
    /** Data remotes by name (`keel data push --remote NAME`). */
    remotes: z.record(z.string(), z.object({ url: z.string().min(1) }).loose()).optional(),
    /**
     * Data cache settings. `link: hardlink` makes `keel data checkout` hard-link read-only files
     * to the cache (no copy, no extra disk) when reflinks are unavailable; the default copies.
     */
    cache: z
      .object({ link: z.enum(["copy", "hardlink"]).optional() })
      .loose()
      .optional(),
    /** Pipeline stages (defined by the pipelines issue; kept opaque here). */
    stages: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

/** Parsed `keel.yaml`. */
export type KeelConfig = z.infer<typeof KeelConfigSchema>;

/** A located project: its root folder and parsed config (empty when there is no keel.yaml). */
export interface Project {
  /** Folder holding keel.yaml, or the starting folder when none was found. */
  root: string;
  /** Path of keel.yaml, or null when the project has none. */
  configPath: string | null;
  config: KeelConfig;
}

/** Walk up from `start` to the first folder holding keel.yaml; null when none. */
export function findProjectRoot(start: string = process.cwd()): string | null {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, KEEL_YAML))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Read and validate a keel.yaml; errors name the file and the offending field. */
export function readKeelConfig(path: string): KeelConfig {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, "utf8")) ?? {};
  } catch (e) {
    throw invalidParam(`${path}: not valid YAML: ${(e as Error).message}`);
  }
  const parsed = KeelConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`);
    throw invalidParam(`${path}: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/** Locate the project around `start` (keel.yaml upwards) and read its config. */
export function loadProject(start: string = process.cwd()): Project {
  const root = findProjectRoot(start);
  if (root === null) return { root: resolve(start), configPath: null, config: {} };
  const configPath = join(root, KEEL_YAML);
  return { root, configPath, config: readKeelConfig(configPath) };
}

/** True for URIs that name a remote tracking server. */
export function isHttpUri(uri: string): boolean {
  return /^https?:\/\//i.test(uri);
}

/**
 * The tracking URI in force: explicit value > `KEEL_TRACKING_URI` > keel.yaml > `.keel/keel.db`
 * under the project root. Relative SQLite paths are resolved against the project root.
 */
export function resolveTrackingUri(project: Project, explicit?: string): string {
  const uri = explicit ?? process.env.KEEL_TRACKING_URI ?? project.config.tracking_uri;
  if (uri === undefined || uri === "") return join(project.root, KEEL_DIR, "keel.db");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) || uri.startsWith("sqlite:")) return uri;
  return resolve(project.root, uri);
}

/**
 * The artifact root in force for embedded mode: explicit > `KEEL_ARTIFACT_ROOT` > keel.yaml >
 * `.keel/artifacts` under the project root, as an absolute path or URI.
 */
export function resolveArtifactRoot(project: Project, explicit?: string): string {
  const root = explicit ?? process.env.KEEL_ARTIFACT_ROOT ?? project.config.artifact_root;
  if (root === undefined || root === "") return join(project.root, KEEL_DIR, "artifacts");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(root)) return root;
  return resolve(project.root, root);
}
