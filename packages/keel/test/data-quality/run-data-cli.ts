import { Command } from "commander";
import { registerDataQualityCommands } from "../../src/cli/data-quality.js";

/** What one in-process `keel data ...` invocation printed and its exit code. */
export interface DataCliResult {
  /** Exit code the CLI would end with (process.exitCode after the action). */
  code: number;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
}

/**
 * Runs `keel data ARGS` in this process through a commander program holding only the data
 * quality commands (the way program.ts mounts them), capturing stdout, stderr and the exit code.
 * Commander's own usage errors (bad choice, missing option) come back with commander's exit code.
 */
export async function keelData(args: string[]): Promise<DataCliResult> {
  const program = new Command("keel").exitOverride();
  const data = program.command("data").exitOverride();
  registerDataQualityCommands(data);
  for (const cmd of data.commands) cmd.exitOverride();

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
    await program.parseAsync(["node", "keel", "data", ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    // exitOverride turns commander's usage errors into CommanderError with its exit code.
    const exit = (e as { exitCode?: number }).exitCode;
    if (exit === undefined) throw e;
    code = exit;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = saved;
  }
  return { code, stdout, stderr };
}
