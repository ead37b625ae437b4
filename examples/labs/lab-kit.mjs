// Shared by the labs: run the `keel` CLI the way a learner would, and read its --json output.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../packages/keel/dist/cli/main.js", import.meta.url));

/** Run `keel ...args` in `cwd`; returns exit code and output. */
export function keel(cwd, args) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: "utf8",
    timeout: 300_000,
    maxBuffer: 64 << 20,
    env: { ...process.env, KEEL_TRACKING_URI: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run `keel ...args --json` and parse the output; throws with the CLI's message on failure. */
export function keelJson(cwd, args) {
  const r = keel(cwd, [...args, "--json"]);
  if (r.code !== 0) throw new Error(`keel ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
