/**
 * Running a stage's command in a child process: `cmd:` through /bin/sh in the stage's wdir
 * (a list runs in order and stops at the first failure, like `&&`), `uses:` as the keel CLI
 * itself (this Node binary and the compiled `dist/cli/main.js`). stdout and stderr go to log
 * files (tracked as artifacts later) and to an optional echo for the terminal.
 */
import { spawn } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KeelError } from "../errors.js";
import { workerModuleUrl } from "../learn/ensemble/worker-module.js";
import type { Stage } from "./stage.js";

/** Which output stream a chunk came from. */
export type StreamName = "stdout" | "stderr";

/** Options of {@link execStage}. */
export interface ExecOptions {
  /** Project root. */
  readonly root: string;
  /** Environment of the child. */
  readonly env: NodeJS.ProcessEnv;
  /** Folder for `stdout.txt` and `stderr.txt` (created). */
  readonly logDir: string;
  /** Called with every chunk the command writes (for the terminal). */
  readonly echo?: ((stream: StreamName, chunk: Buffer) => void) | undefined;
}

/** How the command ended. */
export interface ExecResult {
  /** True when every command exited 0. */
  readonly ok: boolean;
  /** Exit code of the failing (or last) command; null when killed by a signal. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not start at all. */
  readonly error?: string;
  readonly stdoutPath: string;
  readonly stderrPath: string;
}

/** The compiled CLI entry `uses:` stages run (found beside this module, or in dist/ from sources). */
export function cliEntry(): string {
  try {
    return fileURLToPath(workerModuleUrl(import.meta.url, "../cli/main.js"));
  } catch {
    throw new KeelError(
      "INTERNAL_ERROR",
      "uses: stages run the compiled keel CLI (dist/cli/main.js), which is missing: run `npm run build`.",
    );
  }
}

/** Run the stage's command(s) to completion. */
export async function execStage(stage: Stage, options: ExecOptions): Promise<ExecResult> {
  await mkdir(options.logDir, { recursive: true });
  const stdoutPath = join(options.logDir, "stdout.txt");
  const stderrPath = join(options.logDir, "stderr.txt");
  const logs = { stdout: createWriteStream(stdoutPath), stderr: createWriteStream(stderrPath) };
  const cwd = stage.wdir === "." ? options.root : join(options.root, ...stage.wdir.split("/"));
  const commands: [string, string[]][] =
    stage.command.kind === "shell"
      ? (typeof stage.command.cmd === "string" ? [stage.command.cmd] : stage.command.cmd).map((c) => [
          "/bin/sh",
          ["-c", c],
        ])
      : [
          [
            process.execPath,
            [cliEntry(), ...stage.command.argv, ...(stage.command.stdoutTo === null ? [] : ["--json"])],
          ],
        ];
  let last: Omit<ExecResult, "stdoutPath" | "stderrPath"> = { ok: true, exitCode: 0, signal: null };
  try {
    for (const [file, args] of commands) {
      last = await runOne(file, args, cwd, options, logs);
      if (!last.ok) break;
    }
  } finally {
    await Promise.all([closeStream(logs.stdout), closeStream(logs.stderr)]);
  }
  return { ...last, stdoutPath, stderrPath };
}

function runOne(
  file: string,
  args: string[],
  cwd: string,
  options: ExecOptions,
  logs: Record<StreamName, WriteStream>,
): Promise<Omit<ExecResult, "stdoutPath" | "stderrPath">> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    for (const name of ["stdout", "stderr"] as const) {
      child[name].on("data", (chunk: Buffer) => {
        logs[name].write(chunk);
        options.echo?.(name, chunk);
      });
    }
    child.once("error", (e) => {
      const message = `could not start ${file}: ${e.message}`;
      logs.stderr.write(`${message}\n`);
      resolve({ ok: false, exitCode: null, signal: null, error: message });
    });
    child.once("close", (code, signal) => resolve({ ok: code === 0, exitCode: code, signal }));
  });
}

function closeStream(s: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    s.end((e?: Error | null) => (e ? reject(e) : resolve()));
  });
}
