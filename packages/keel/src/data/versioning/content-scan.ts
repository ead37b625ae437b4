/**
 * The digests of workspace files, reading only files whose stat changed since they were last
 * hashed. `keel data status` only hashes; `keel data add` also copies new content into the
 * cache (hash and copy in one read).
 */
import { type BigIntStats, statSync } from "node:fs";
import { KeelError } from "../../errors.js";
import { folderDigest, type ManifestEntry } from "./dir-manifest.js";
import { listFolderFiles } from "./folder-walk.js";
import { explainFsError } from "./fs-failure.js";
import { hashFile } from "./hash-file.js";
import { mapBounded } from "./map-bounded.js";
import type { ObjectCache } from "./object-cache.js";
import { objectKey } from "./object-key.js";
import { type ProgressSink, withProgress } from "./progress-sink.js";
import { entryMatches, nowNs, type StatCache, type StatEntry, stampOf } from "./stat-cache.js";

/** How many files are read at once: enough to overlap I/O with hashing on two cores. */
export const READ_CONCURRENCY = 4;

/** A file to scan. */
export interface ScanInput {
  /** Absolute path. */
  abs: string;
  /** Root-relative path (the stat cache key). */
  rel: string;
}

/** A scanned file; `sha256` is null when the file vanished. */
export interface ScannedFile extends ScanInput {
  sha256: string | null;
  size: number;
}

/** Options of {@link scanFiles}. */
export interface ScanOptions {
  /** The stat cache to consult and update. */
  stat: StatCache;
  /** Entries already loaded for these files (e.g. `stat.under(folder)`); looked up one by one otherwise. */
  known?: Map<string, StatEntry>;
  /** When given, content not yet cached is copied into it. */
  cache?: ObjectCache;
  progress?: ProgressSink;
}

/** What a scan did. */
export interface ScanResult {
  files: ScannedFile[];
  /** Files read (hashed, and copied when a cache was given). */
  read: number;
  /** Objects newly written to the cache. */
  copied: number;
}

/** Scan `files` (results in input order). */
export async function scanFiles(files: readonly ScanInput[], options: ScanOptions): Promise<ScanResult> {
  const hashedAt = nowNs();
  const lookup = (rel: string) =>
    options.known?.get(rel) ?? (options.known ? undefined : options.stat.get(rel));
  // Sync stats: for thousands of small files they cost a tenth of promise-based ones.
  const stats = files.map((f) => statSync(f.abs, { bigint: true, throwIfNoEntry: false }));
  const results: ScannedFile[] = files.map((f, i) => {
    const st = stats[i];
    if (st === undefined) return { ...f, sha256: null, size: 0 };
    const entry = lookup(f.rel);
    return { ...f, sha256: entryMatches(entry, stampOf(st)) ? entry.sha256 : null, size: Number(st.size) };
  });
  const todo = await pendingReads(results, stats, options.cache);
  const fresh: StatEntry[] = [];
  let copied = 0;
  const total = todo.reduce((sum, i) => sum + (results[i]?.size ?? 0), 0);
  await withProgress(options.progress, total, options.cache ? "adding" : "hashing", (advance) =>
    mapBounded(todo, READ_CONCURRENCY, async (i) => {
      const file = results[i] as ScannedFile;
      const st = stats[i] as BigIntStats;
      const digest = await (options.cache
        ? options.cache.addFile(file.abs, advance)
        : hashFile(file.abs, advance)
      ).catch((e: unknown) => {
        throw explainFsError(e, file.abs);
      });
      if ("copied" in digest && digest.copied) copied++;
      file.sha256 = digest.sha256;
      file.size = digest.size;
      // The stat taken before reading is remembered only if the read saw the same size.
      if (digest.size === Number(st.size))
        fresh.push({ path: file.rel, ...stampOf(st), sha256: digest.sha256 });
    }),
  );
  options.stat.record(fresh, hashedAt);
  return { files: results, read: todo.length, copied };
}

/** Indexes of files to read: unknown stats, plus (when adding) known ones whose object is missing. */
async function pendingReads(
  results: ScannedFile[],
  stats: (BigIntStats | undefined)[],
  cache: ObjectCache | undefined,
): Promise<number[]> {
  const todo: number[] = [];
  const known: number[] = [];
  results.forEach((r, i) => {
    if (stats[i] === undefined) return;
    if (r.sha256 === null) todo.push(i);
    else known.push(i);
  });
  if (cache === undefined || known.length === 0) return todo;
  const present = await cache.present(known.map((i) => objectKey(results[i]?.sha256 as string)));
  for (const i of known) {
    const r = results[i] as ScannedFile;
    if (!present.has(r.sha256 as string)) {
      r.sha256 = null;
      todo.push(i);
    }
  }
  return todo.sort((a, b) => a - b);
}

/** The content of a file or folder as it is now. */
export interface PathScan {
  digest: string;
  size: number;
  nfiles: number;
  /** Folders: the manifest (sorted); files: null. */
  entries: ManifestEntry[] | null;
  /** Files read. */
  read: number;
  /** Objects newly cached (when a cache was given). */
  copied: number;
}

/**
 * Digest a file or a whole folder (a folder's digest is that of its manifest).
 * @param rel - root-relative path (stat-cache keys of a folder's files are below it).
 * @throws KeelError INVALID_STATE when a file vanishes while being read.
 */
export async function scanPath(
  abs: string,
  rel: string,
  isdir: boolean,
  options: Omit<ScanOptions, "known">,
): Promise<PathScan> {
  if (!isdir) {
    const scan = await scanFiles([{ abs, rel }], options);
    const file = scan.files[0];
    if (file?.sha256 == null) throw vanished(rel);
    return {
      digest: file.sha256,
      size: file.size,
      nfiles: 1,
      entries: null,
      read: scan.read,
      copied: scan.copied,
    };
  }
  const files = await listFolderFiles(abs);
  const scan = await scanFiles(
    files.map((f) => ({ abs: f.abs, rel: `${rel}/${f.rel}` })),
    { ...options, known: options.stat.under(rel) },
  );
  const entries = scan.files.map((f, i): ManifestEntry => {
    if (f.sha256 === null) throw vanished(f.rel);
    return { path: files[i]?.rel as string, sha256: f.sha256, size: f.size };
  });
  return {
    digest: folderDigest(entries),
    size: entries.reduce((sum, e) => sum + e.size, 0),
    nfiles: entries.length,
    entries,
    read: scan.read,
    copied: scan.copied,
  };
}

function vanished(rel: string): KeelError {
  return new KeelError("INVALID_STATE", `${rel} disappeared while it was being read; run the command again.`);
}
