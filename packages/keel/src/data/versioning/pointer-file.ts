/**
 * Pointer files: `PATH.keel`, committed to git in place of the data at PATH. They hold facts
 * only (STYLE §9/§10): the dataset name and version, the data path next to the pointer, the
 * content hash `{algo, value}` and, apart from it, `meta` (size, file count, folder or not).
 *
 * ```yaml
 * # Keel data pointer: commit this file; the data itself is in the Keel cache.
 * name: seattle-weather
 * version: 2
 * path: seattle-weather.csv
 * hash:
 *   algo: sha256
 *   value: 5f3a…
 * meta:
 *   size: 48218
 *   nfiles: 1
 *   isdir: false
 * ```
 */
import { readFile } from "node:fs/promises";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { z } from "zod";
import { writeAtomic } from "../../artifacts/atomic-write.js";
import { isMissing } from "../../artifacts/fs-errors.js";
import { normalizeArtifactPath } from "../../artifacts/safe-path.js";
import { isKeelError } from "../../errors.js";
import { DATASET_NAME_PATTERN } from "../../store/dataset-names.js";
import { HASH_ALGO, SHA256_HEX } from "./hash-file.js";
import { PointerFileCorruptedError } from "./versioning-errors.js";

/** Suffix of pointer files (`data/train.parquet.keel`). */
export const POINTER_SUFFIX = ".keel";

/** Dataset names: what may stand before `@` in `NAME@N` (the store's rule). */
export const DATASET_NAME = DATASET_NAME_PATTERN;

/** Key names of the pointer format, in the order they are written. */
export const POINTER_KEYS = ["name", "version", "path", "hash", "meta"] as const;

const HEADER =
  "# Keel data pointer: commit this file; the data itself is in the Keel cache (keel data checkout / pull).\n";

/** Schema of a pointer file. */
export const DataPointerSchema = z.strictObject({
  name: z.string().regex(DATASET_NAME, "letters, digits, '.', '_' or '-', starting with a letter or digit"),
  version: z.number().int().positive(),
  path: z
    .string()
    .min(1)
    .refine((p) => isCleanRelative(p), "a relative path below the pointer's folder"),
  hash: z.strictObject({
    algo: z.literal(HASH_ALGO),
    value: z.string().regex(SHA256_HEX, "64 lowercase hex digits"),
  }),
  meta: z.strictObject({
    size: z.number().int().nonnegative(),
    nfiles: z.number().int().nonnegative(),
    isdir: z.boolean(),
  }),
});

/** A parsed pointer file. */
export type DataPointer = z.infer<typeof DataPointerSchema>;

function isCleanRelative(p: string): boolean {
  try {
    return normalizeArtifactPath(p) === p;
  } catch (e) {
    if (isKeelError(e)) return false;
    throw e;
  }
}

/**
 * Parse pointer text.
 * @param file - the pointer's path, for the error message.
 * @throws PointerFileCorruptedError naming the file and the first bad field.
 */
export function parsePointer(text: string, file: string): DataPointer {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new PointerFileCorruptedError(file, `not valid YAML (${(e as Error).message.split("\n")[0]})`, {
      cause: e,
    });
  }
  const parsed = DataPointerSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "(top level)";
    throw new PointerFileCorruptedError(file, `field ${where}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

/** Read a pointer file; null when it does not exist. */
export async function readPointer(file: string): Promise<DataPointer | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if (isMissing(e)) return null;
    throw e;
  }
  return parsePointer(text, file);
}

/** The text of a pointer file (header comment, keys in {@link POINTER_KEYS} order). */
export function formatPointer(p: DataPointer): string {
  const ordered = Object.fromEntries(POINTER_KEYS.map((k) => [k, p[k]]));
  return HEADER + toYaml(ordered);
}

/** Write a pointer file atomically (temp file in `tmpDir`, then rename). */
export async function writePointer(file: string, p: DataPointer, tmpDir: string): Promise<void> {
  await writeAtomic(file, Buffer.from(formatPointer(DataPointerSchema.parse(p))), tmpDir);
}
