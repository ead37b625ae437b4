import { exitCodeOf } from "../../src/cli/command-kit.js";
import { buildProgram } from "../../src/cli/program.js";

/** What one in-process `keel ...` run printed, and the exit code it would end with. */
export interface CliRun {
  /** Exit code: process.exitCode after the action, or commander's code for usage errors. */
  code: number;
  /** Captured stdout. */
  stdout: string;
  /** Captured stderr. */
  stderr: string;
}

/**
 * Run `keel ARGS` in this process on the real command tree (`buildProgram()`), capturing stdout,
 * stderr and the exit code exactly as main.ts maps it: fast enough for many CLI cases per test file, without a build step.
 */
export async function runKeelInProcess(args: string[]): Promise<CliRun> {
  const program = buildProgram();
  let stdout = "";
  let stderr = "";
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const saved = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  let code = 0;
  try {
    await program.parseAsync(["node", "keel", ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    code = exitCodeOf(e);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = saved;
  }
  return { code, stdout, stderr };
}

/** `keel data ARGS` in this process. */
export function keelData(args: string[]): Promise<CliRun> {
  return runKeelInProcess(["data", ...args]);
}
