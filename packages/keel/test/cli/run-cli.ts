import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The compiled CLI entry (the root `npm test` builds before running tests). */
export const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

/** Result of one CLI invocation. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `keel ARGS` in `cwd` as a user would, with a clean tracking environment. */
export function keel(cwd: string, args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, KEEL_TRACKING_URI: "", KEEL_ARTIFACT_ROOT: "", KEEL_SERVER_TOKEN: "", ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Run and parse `--json` output, failing with the CLI's stderr when it exits non-zero. */
export function keelJson<T = unknown>(cwd: string, args: string[]): T {
  const r = keel(cwd, [...args, "--json"]);
  if (r.code !== 0) throw new Error(`keel ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
