/**
 * keel.lock: the facts of the last successful run of each stage (DVC's dvc.lock): the command
 * as run, param values, and the sha256, size and file count of every dep and output. Written by
 * code only, atomically, with stages, paths and keys sorted and empty values dropped, so a git
 * diff shows exactly what changed. A lock that does not parse raises
 * {@link LockfileCorruptedError}, never a user format error.
 *
 * ```yaml
 * schema: '1.0'
 * stages:
 *   prepare:
 *     cmd: python prepare.py 0.2
 *     deps:
 *       - path: data/raw.csv
 *         hash: sha256
 *         sha256: 9812dae9…
 *         size: 48243
 *     params:
 *       params.yaml:
 *         split.test: 0.2
 *     outs:
 *       - path: data/prepared
 *         hash: sha256
 *         sha256: 3dbb236f…
 *         size: 8437
 *         nfiles: 2
 *         isdir: true
 * ```
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { z } from "zod";
import { writeAtomic } from "../artifacts/atomic-write.js";
import { isMissing } from "../artifacts/fs-errors.js";
import { compareUtf8 } from "../data/versioning/folder-walk.js";
import { HASH_ALGO, SHA256_HEX } from "../data/versioning/hash-file.js";
import { LockfileCorruptedError } from "./pipeline-errors.js";
import { DEFAULT_PARAMS_FILE, LOCK_FILE, LOCK_SCHEMA_VERSION } from "./spec-keys.js";

/** The content of a dep or output as recorded. */
export interface LockedFile {
  /** Root-relative path. */
  readonly path: string;
  readonly hash: { readonly algo: typeof HASH_ALGO; readonly value: string };
  readonly meta: { readonly size: number; readonly nfiles: number; readonly isdir: boolean };
  /** False for outputs declared `cache: false` (recorded, but not in the data cache). */
  readonly cache: boolean;
}

/** One stage's facts. */
export interface LockedStage {
  /** The command as run (after interpolation). */
  readonly cmd: string | readonly string[];
  /** Root-relative wdir when not the root. */
  readonly wdir: string;
  readonly deps: readonly LockedFile[];
  /** params file -> dotted key -> value. */
  readonly params: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly outs: readonly LockedFile[];
}

/** A whole keel.lock: stage name -> facts. */
export type Lockfile = ReadonlyMap<string, LockedStage>;

const FileSchema = z.strictObject({
  path: z.string().min(1),
  hash: z.literal(HASH_ALGO),
  [HASH_ALGO]: z.string().regex(SHA256_HEX, "64 lowercase hex digits"),
  size: z.number().int().nonnegative(),
  nfiles: z.number().int().nonnegative().optional(),
  isdir: z.literal(true).optional(),
  cache: z.literal(false).optional(),
});

const StageSchema = z.strictObject({
  cmd: z.union([z.string(), z.array(z.string())]),
  wdir: z.string().min(1).optional(),
  deps: z.array(FileSchema).optional(),
  params: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  outs: z.array(FileSchema).optional(),
});

const LockSchema = z.strictObject({
  schema: z.literal(LOCK_SCHEMA_VERSION),
  stages: z.record(z.string(), StageSchema).optional(),
});

const HEADER =
  "# Keel pipeline lock: written by `keel run`, commit it. Facts only: the command, params, deps and outputs of each stage's last successful run.\n";

/**
 * Parse lock text.
 * @param file - its name, for messages.
 * @throws LockfileCorruptedError naming the file and the first bad field.
 */
export function parseLock(text: string, file: string = LOCK_FILE): Lockfile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new LockfileCorruptedError(file, `not valid YAML (${(e as Error).message.split("\n")[0]})`, {
      cause: e,
    });
  }
  if (raw === null || raw === undefined) return new Map();
  const parsed = LockSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "(top level)";
    throw new LockfileCorruptedError(file, `field ${where}: ${issue?.message ?? "invalid"}`);
  }
  const stages = new Map<string, LockedStage>();
  for (const [name, s] of Object.entries(parsed.data.stages ?? {})) {
    const files = (list: z.infer<typeof FileSchema>[] | undefined): LockedFile[] =>
      (list ?? []).map((f) => ({
        path: f.path,
        hash: { algo: HASH_ALGO, value: f[HASH_ALGO] },
        meta: { size: f.size, nfiles: f.nfiles ?? 1, isdir: f.isdir === true },
        cache: f.cache !== false,
      }));
    stages.set(name, {
      cmd: s.cmd,
      wdir: s.wdir ?? ".",
      deps: files(s.deps),
      params: s.params ?? {},
      outs: files(s.outs),
    });
  }
  return stages;
}

/** Read `keel.lock` under `root`; empty when there is none. */
export async function readLock(root: string): Promise<Lockfile> {
  let text: string;
  try {
    text = await readFile(join(root, LOCK_FILE), "utf8");
  } catch (e) {
    if (isMissing(e)) return new Map();
    throw e;
  }
  return parseLock(text);
}

/** The lock's text: stages by name, files by path, params files default first, keys sorted. */
export function formatLock(lock: Lockfile): string {
  const stages: Record<string, unknown> = {};
  for (const name of [...lock.keys()].sort(compareUtf8)) {
    const s = lock.get(name) as LockedStage;
    const entry: Record<string, unknown> = { cmd: s.cmd };
    if (s.wdir !== ".") entry.wdir = s.wdir;
    if (s.deps.length > 0) entry.deps = sortFiles(s.deps).map(fileEntry);
    const params = paramsEntry(s.params);
    if (params !== null) entry.params = params;
    if (s.outs.length > 0) entry.outs = sortFiles(s.outs).map(fileEntry);
    stages[name] = entry;
  }
  const body = { schema: LOCK_SCHEMA_VERSION, ...(lock.size > 0 ? { stages } : {}) };
  // lineWidth 0: never fold long commands, so a changed flag is a one-line diff.
  return HEADER + toYaml(body, { lineWidth: 0, indentSeq: true });
}

/** Write keel.lock atomically (temp file in `tmpDir`, then rename). */
export async function writeLock(root: string, lock: Lockfile, tmpDir: string): Promise<void> {
  await writeAtomic(join(root, LOCK_FILE), Buffer.from(formatLock(lock)), tmpDir);
}

function sortFiles(files: readonly LockedFile[]): LockedFile[] {
  return [...files].sort((a, b) => compareUtf8(a.path, b.path));
}

function fileEntry(f: LockedFile): Record<string, unknown> {
  return {
    path: f.path,
    hash: f.hash.algo,
    [f.hash.algo]: f.hash.value,
    size: f.meta.size,
    ...(f.meta.isdir ? { nfiles: f.meta.nfiles, isdir: true } : {}),
    ...(f.cache ? {} : { cache: false }),
  };
}

function paramsEntry(params: LockedStage["params"]): Record<string, Record<string, unknown>> | null {
  const files = Object.keys(params)
    .filter((f) => Object.keys(params[f] ?? {}).length > 0)
    .sort((a, b) => (a === DEFAULT_PARAMS_FILE ? -1 : b === DEFAULT_PARAMS_FILE ? 1 : compareUtf8(a, b)));
  if (files.length === 0) return null;
  const out: Record<string, Record<string, unknown>> = {};
  for (const f of files) {
    const values = params[f] ?? {};
    out[f] = Object.fromEntries(
      Object.keys(values)
        .sort(compareUtf8)
        .map((k) => [k, values[k]]),
    );
  }
  return out;
}

/** JSON with sorted keys: equal values give equal text (param comparison). */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}
