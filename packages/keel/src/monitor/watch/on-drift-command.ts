/**
 * The `--on-drift` command: run once per drift episode with /bin/sh in the project root, with
 * the check's facts in the environment, its output captured (bounded) for the check run.
 */
import { spawn } from "node:child_process";

/** Output kept per stream; the rest is dropped with a note. */
const MAX_OUTPUT = 1 << 20;

/** How the command ended. */
export interface CommandResult {
  /** The command line. */
  readonly command: string;
  /** Exit code, null when killed by a signal or not started. */
  readonly exitCode: number | null;
  /** Signal that ended it, if any. */
  readonly signal: string | null;
  /** Wall time in ms. */
  readonly durationMs: number;
  /** stdout and stderr interleaved as they arrived (at most 1 MiB). */
  readonly output: string;
  /** True when it ran past its timeout and was killed. */
  readonly timedOut: boolean;
}

/** Options of {@link runOnDriftCommand}. */
export interface CommandOptions {
  /** Working directory (the project root). */
  readonly cwd: string;
  /** Extra environment variables (`KEEL_DRIFT_*`). */
  readonly env: Readonly<Record<string, string>>;
  /** Kill it (SIGTERM, then SIGKILL 5 s later) after this long (default: no limit). */
  readonly timeoutMs?: number;
}

/** Runs `command` with `/bin/sh -c`; never throws (a failure to start is exit code null). */
export function runOnDriftCommand(command: string, options: CommandOptions): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let output = "";
    let truncated = false;
    let timedOut = false;
    const append = (chunk: Buffer) => {
      if (output.length >= MAX_OUTPUT) {
        truncated = true;
        return;
      }
      output += chunk.toString("utf8");
    };
    const child = spawn("/bin/sh", ["-c", command], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", append);
    child.stderr.on("data", append);
    let killer: NodeJS.Timeout | undefined;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGTERM");
            killer = setTimeout(() => child.kill("SIGKILL"), 5000);
          }, options.timeoutMs);
    const finish = (exitCode: number | null, signal: string | null, extra = "") => {
      clearTimeout(timer);
      clearTimeout(killer);
      resolve({
        command,
        exitCode,
        signal,
        durationMs: Date.now() - started,
        output: `${output}${truncated ? "\n[output truncated at 1 MiB]\n" : ""}${extra}`,
        timedOut,
      });
    };
    child.on("error", (e) => finish(null, null, `could not start /bin/sh: ${e.message}\n`));
    child.on("close", (code, signal) => finish(code, signal));
  });
}
