/**
 * Dataset references as users write them (DESIGN.md): `NAME@N`, `NAME@latest`, or a path.
 */
import { invalidParam, KeelError } from "../../errors.js";
import type { DatasetStore, DatasetVersion } from "../../store/dataset-store.js";
import { DATASET_NAME } from "./pointer-file.js";

/** A parsed reference. */
export type DatasetRef =
  | { kind: "version"; name: string; version: number | "latest" }
  | { kind: "path"; path: string };

/**
 * Parse a reference. Text with an `@` whose left side is a dataset name is a version reference
 * (so `weather@x` is an error, not a path); anything else is a path (write `./a@b.csv` for a
 * file whose name holds an `@`).
 *
 * @throws KeelError INVALID_PARAMETER_VALUE for a bad version part, naming the reference.
 * @example
 * parseDatasetRef("weather@2"); // { kind: "version", name: "weather", version: 2 }
 * parseDatasetRef("data/train.parquet"); // { kind: "path", path: "data/train.parquet" }
 */
export function parseDatasetRef(ref: string): DatasetRef {
  const at = ref.lastIndexOf("@");
  const name = ref.slice(0, at);
  if (at <= 0 || !DATASET_NAME.test(name)) return { kind: "path", path: ref };
  const version = ref.slice(at + 1);
  if (version === "latest") return { kind: "version", name, version };
  if (!/^[1-9][0-9]{0,8}$/.test(version)) {
    throw invalidParam(
      `Invalid dataset reference '${ref}': the part after '@' must be a version number >= 1 or 'latest', e.g. ${name}@1 or ${name}@latest.`,
    );
  }
  return { kind: "version", name, version: Number(version) };
}

/** Parse a reference that must be `NAME@N` or `NAME@latest` (diff, lineage). */
export function parseVersionRef(ref: string): { name: string; version: number | "latest" } {
  const parsed = parseDatasetRef(ref);
  if (parsed.kind !== "version") {
    throw invalidParam(
      `Invalid dataset reference '${ref}': expected NAME@VERSION, e.g. weather@2 or weather@latest.`,
    );
  }
  return parsed;
}

/** The stored version a reference names (RESOURCE_DOES_NOT_EXIST naming it when absent). */
export function resolveVersion(
  store: DatasetStore,
  ref: { name: string; version: number | "latest" },
): Promise<DatasetVersion> {
  return ref.version === "latest"
    ? store.getLatestDatasetVersion(ref.name)
    : store.getDatasetVersion(ref.name, ref.version);
}

/**
 * The store, for work that names stored versions (`NAME@N`, `--version`).
 * @throws KeelError INVALID_STATE when the caller opened none.
 */
export function requireStore(store: DatasetStore | null): DatasetStore {
  if (store === null)
    throw new KeelError("INVALID_STATE", "Dataset versions need the metadata store; none is open.");
  return store;
}
