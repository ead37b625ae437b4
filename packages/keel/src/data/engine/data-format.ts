import { extname } from "node:path";
import { invalidParam } from "../../errors.js";

/** The tabular file formats Keel reads and writes. */
export const DATA_FORMATS = ["csv", "tsv", "json", "jsonl", "parquet", "arrow"] as const;

/** One of {@link DATA_FORMATS}. */
export type DataFormat = (typeof DATA_FORMATS)[number];

/** File extensions (lower case, with the dot) mapped to their format. */
const FORMAT_BY_EXTENSION: Readonly<Record<string, DataFormat>> = Object.freeze({
  ".csv": "csv",
  ".tsv": "tsv",
  ".tab": "tsv",
  ".json": "json",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".parquet": "parquet",
  ".pq": "parquet",
  ".arrow": "arrow",
  ".feather": "arrow",
  ".arrows": "arrow",
  ".ipc": "arrow",
});

/** True when `value` names a format (`--format` validation). */
export function isDataFormat(value: string): value is DataFormat {
  return (DATA_FORMATS as readonly string[]).includes(value);
}

/**
 * The format of `path`, from its extension (case-insensitive).
 * @throws KeelError INVALID_PARAMETER_VALUE for an unknown extension, listing the known ones.
 */
export function detectFormat(path: string): DataFormat {
  const ext = extname(path).toLowerCase();
  const format = FORMAT_BY_EXTENSION[ext];
  if (format === undefined) {
    const known = Object.keys(FORMAT_BY_EXTENSION).join(", ");
    throw invalidParam(
      `${path}: cannot tell the data format from the extension '${ext || "(none)"}'; ` +
        `use one of ${known} or pass --format ${DATA_FORMATS.join("|")}`,
    );
  }
  return format;
}

/** `explicit` when given (validated), else the format detected from `path`. */
export function resolveFormat(path: string, explicit?: string): DataFormat {
  if (explicit === undefined) return detectFormat(path);
  const lower = explicit.toLowerCase();
  if (!isDataFormat(lower)) {
    throw invalidParam(`Invalid format '${explicit}': use one of ${DATA_FORMATS.join(", ")}`);
  }
  return lower;
}
