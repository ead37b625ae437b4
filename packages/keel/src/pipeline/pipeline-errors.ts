/**
 * Errors of pipelines that callers tell apart: a keel.yaml stage definition that is wrong (a user
 * format error naming the file, the path inside it and the line), and a keel.lock that is not
 * a lock any more (STYLE §9: distinct from a user error).
 */
import { KeelError } from "../errors.js";

/** A problem in keel.yaml's stages (or params.yaml): names the file, the key path and the line. */
export class PipelineSpecError extends KeelError {
  /** The file holding the mistake. */
  readonly file: string;
  /** Where in it, e.g. `stages.train.deps[1]`. */
  readonly path: string;

  constructor(file: string, path: string, line: number | null, problem: string) {
    const where = path === "" ? "" : ` ${path}${line === null ? "" : ` (line ${line})`}:`;
    super("INVALID_PARAMETER_VALUE", `${file}:${where} ${problem}`);
    this.name = "PipelineSpecError";
    this.file = file;
    this.path = path;
  }
}

/** keel.lock cannot be read as a lock (bad YAML, wrong fields). */
export class LockfileCorruptedError extends KeelError {
  /** The lock file. */
  readonly file: string;

  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(
      "INVALID_STATE",
      `Lock file ${file} is corrupted: ${problem}. Restore it from git (git checkout -- ${file}) or delete it and run keel run again (every stage then runs).`,
      options,
    );
    this.name = "LockfileCorruptedError";
    this.file = file;
  }
}
