/**
 * The runtime's one error class. It carries the same `code` field (MLflow error codes) and the same
 * `name` as Keel's `KeelError`, so a Keel server or CLI maps it to the right status and exit code
 * without this package importing anything from Keel.
 */

/** Error codes the runtime raises, spelled as Keel/MLflow spell them. */
export type RuntimeErrorCode = "INVALID_PARAMETER_VALUE" | "RESOURCE_DOES_NOT_EXIST" | "INVALID_STATE";

/** A typed runtime error; `problems` lists every individual issue when there are several. */
export class KeelRuntimeError extends Error {
  /** MLflow-compatible error code. */
  readonly code: RuntimeErrorCode;
  /** Each problem found, one sentence each (at least the message itself). */
  readonly problems: readonly string[];

  constructor(code: RuntimeErrorCode, message: string, problems: readonly string[] = [message]) {
    super(message);
    // Same name as Keel's error class: Keel's isKeelError() recognises it by name + code.
    this.name = "KeelError";
    this.code = code;
    this.problems = problems;
  }

  /** MLflow's error body: `{ error_code, message }`. */
  toJSON(): { error_code: RuntimeErrorCode; message: string } {
    return { error_code: this.code, message: this.message };
  }
}
