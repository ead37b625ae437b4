/**
 * Typed errors with MLflow's error codes, mapped once to HTTP statuses (server) and exit codes (CLI).
 * Messages name the field and the fix.
 */

/** Error codes, spelled as MLflow spells them so MLflow clients recognise them. */
export const ERROR_STATUS = {
  INVALID_PARAMETER_VALUE: 400,
  MALFORMED_REQUEST: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_STATE: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  REQUEST_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
} as const;

/** One of the error codes Keel raises. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** CLI exit codes: 1 is reserved for "the check ran and failed" (gates, validation). */
export const EXIT_CODE: Record<ErrorCode, number> = {
  INVALID_PARAMETER_VALUE: 2,
  MALFORMED_REQUEST: 2,
  BAD_REQUEST: 2,
  RESOURCE_ALREADY_EXISTS: 3,
  INVALID_STATE: 3,
  RESOURCE_DOES_NOT_EXIST: 4,
  ENDPOINT_NOT_FOUND: 4,
  UNAUTHENTICATED: 5,
  PERMISSION_DENIED: 5,
  REQUEST_LIMIT_EXCEEDED: 6,
  INTERNAL_ERROR: 70,
  NOT_IMPLEMENTED: 70,
  TEMPORARILY_UNAVAILABLE: 75,
};

/** The one error class Keel throws on purpose; anything else is a bug (500 / exit 70). */
export class KeelError extends Error {
  /** MLflow-compatible error code. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KeelError";
    this.code = code;
  }

  /** HTTP status for this error. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }

  /** MLflow's error body: `{ error_code, message }`. */
  toJSON(): { error_code: ErrorCode; message: string } {
    return { error_code: this.code, message: this.message };
  }
}

/** Shorthand for an INVALID_PARAMETER_VALUE error. */
export function invalidParam(message: string): KeelError {
  return new KeelError("INVALID_PARAMETER_VALUE", message);
}

/** Shorthand for a RESOURCE_DOES_NOT_EXIST error. */
export function notFound(message: string): KeelError {
  return new KeelError("RESOURCE_DOES_NOT_EXIST", message);
}

/** Shorthand for a RESOURCE_ALREADY_EXISTS error. */
export function alreadyExists(message: string): KeelError {
  return new KeelError("RESOURCE_ALREADY_EXISTS", message);
}

/** True when `e` is a KeelError (also across module copies). */
export function isKeelError(e: unknown): e is KeelError {
  return e instanceof KeelError || (e instanceof Error && e.name === "KeelError" && "code" in e);
}
