/**
 * Checks a decoded request against the model signature with @keel/runtime's own validation, so
 * the server, the CLI and an app embedding the runtime reject exactly the same input. Problems the
 * protocol decoder already found (bad datatype, bad shape) come first, in the same single error.
 */
import { encodeInput, type Signature } from "@keel/runtime";
import { KeelError } from "../errors.js";
import type { ColumnarInput } from "./columnar-input.js";

/** What a decoder found wrong before the signature check. */
export interface DecodeProblems {
  /** One sentence per problem. */
  readonly problems: readonly string[];
  /** Inputs already reported (left out of the signature check, so each is reported once). */
  readonly reported: ReadonlySet<string>;
}

/** No problems found while decoding. */
export const NO_PROBLEMS: DecodeProblems = Object.freeze({ problems: [], reported: new Set<string>() });

/** A KeelError carrying every problem, one bullet each, with the list kept for callers. */
export class InputProblemsError extends KeelError {
  /** Each problem, one sentence each. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      "INVALID_PARAMETER_VALUE",
      `Input does not match the model signature (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n- ${problems.join("\n- ")}`,
    );
    this.problems = problems;
  }
}

function isProblemList(e: unknown): e is Error & { problems: readonly string[] } {
  return e instanceof Error && Array.isArray((e as { problems?: unknown }).problems);
}

/**
 * Throws one {@link InputProblemsError} listing the decoder's problems and every signature
 * problem of `input` (missing input, wrong value type, unknown category, missing value where the
 * column is not nullable); returns normally when there are none.
 */
export function validateInput(
  signature: Signature,
  input: ColumnarInput,
  decoded: DecodeProblems = NO_PROBLEMS,
): void {
  const problems = [...decoded.problems];
  const remaining = signature.inputs.filter((i) => !decoded.reported.has(i.name));
  if (remaining.length > 0) {
    try {
      encodeInput(
        { inputs: remaining, outputs: signature.outputs },
        input.columns as Record<string, unknown[]>,
      );
    } catch (e) {
      if (!isProblemList(e)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new InputProblemsError(problems);
}
