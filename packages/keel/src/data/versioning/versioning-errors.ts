/**
 * Errors of data versioning that callers tell apart from plain user mistakes: a pointer file
 * that is not a Keel pointer any more, and a cache object whose bytes no longer match its name.
 */
import { KeelError } from "../../errors.js";

/** A `.keel` pointer file that cannot be read as one (bad YAML, wrong fields). Names the file. */
export class PointerFileCorruptedError extends KeelError {
  /** The pointer file. */
  readonly file: string;

  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(
      "INVALID_STATE",
      `Pointer file ${file} is corrupted: ${problem}. Restore it from git (git checkout -- ${file}) or re-create it with keel data add.`,
      options,
    );
    this.name = "PointerFileCorruptedError";
    this.file = file;
  }
}

/**
 * A cache object whose content does not hash to its name (truncated, bit-flipped, edited through
 * a link). Checkout refuses it; `keel data verify` lists it. The CLI exits 1 on this error.
 */
export class CorruptedObjectError extends KeelError {
  /** The digest the object should have. */
  readonly digest: string;
  /** Where the object lives. */
  readonly objectPath: string;

  constructor(digest: string, objectPath: string, actual: string) {
    super(
      "INVALID_STATE",
      `Cache object ${objectPath} is corrupted: expected sha256 ${digest}, found ${actual}. ` +
        "Nothing was restored. Run keel data verify, delete the listed objects, then keel data pull (or add the data again).",
    );
    this.name = "CorruptedObjectError";
    this.digest = digest;
    this.objectPath = objectPath;
  }
}
