import { type Command, CommanderError, InvalidArgumentError } from "commander";
import { EXIT_CODE, isKeelError } from "../errors.js";

/** Append an "Examples:" block to a command's --help. */
export function examples(cmd: Command, ...lines: string[]): Command {
  return cmd.addHelpText("after", `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`);
}

/** Print an error the way every command does, and return the exit code for it. */
export function reportError(e: unknown): number {
  if (isKeelError(e)) {
    process.stderr.write(`error: ${e.message}\n`);
    return EXIT_CODE[e.code] ?? 1;
  }
  const err = e as Error;
  process.stderr.write(`error: ${err?.message ?? String(e)}\n`);
  if (process.env.KEEL_DEBUG) process.stderr.write(`${err?.stack ?? ""}\n`);
  return 70;
}

/**
 * Exit code for an error that escaped parsing: commander's own (help, version, usage errors; the
 * message is already printed) become 0 or 2, since 1 means "a check failed"; the rest as
 * {@link reportError}.
 */
export function exitCodeOf(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
  return reportError(e);
}

/**
 * Wrap a command action: KeelErrors become `error: message` on stderr and their exit code,
 * anything else exit 70 (a bug; KEEL_DEBUG=1 prints the stack).
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      process.exitCode = reportError(e);
    }
  };
}

/** Parse an integer option, naming the option when it is not one. */
export function intOption(name: string, min = 0): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got '${value}'`);
    }
    return n;
  };
}

/** Collect a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
