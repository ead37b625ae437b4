import { KeelError } from "../../errors.js";

/** Raised when `predict`/`transform` runs before `fit` (scikit-learn's NotFittedError). */
export class NotFittedError extends KeelError {
  constructor(typeName: string) {
    super(
      "INVALID_STATE",
      `${typeName} is not fitted yet: call fit() before using it to predict or transform`,
    );
    this.name = "KeelError";
  }
}

/** True when `e` is a {@link NotFittedError}. */
export function isNotFittedError(e: unknown): e is NotFittedError {
  return e instanceof NotFittedError;
}
