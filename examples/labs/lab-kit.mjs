// Shared by the labs: run the `keel` CLI the way a learner would, and read its --json output.
import { spawn, spawnSync } from "node:child_process";
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

/**
 * Starts a long-running `keel ...args` (`keel serve`, `keel endpoint serve`) on port 0 in `cwd`;
 * resolves with its URL (from the "... on http://host:port" line it prints) and `stop()`, which
 * sends SIGTERM and waits for the graceful exit.
 */
export function startKeel(cwd, args) {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, KEEL_TRACKING_URI: "" },
  });
  let stderr = "";
  return new Promise((resolveStart, reject) => {
    child.stderr.on("data", (d) => {
      stderr += d;
      const m = / on (http:\/\/\S+) /.exec(stderr);
      if (m) {
        const exited = new Promise((r) => child.on("exit", r));
        resolveStart({
          url: m[1],
          stop: () => {
            child.kill("SIGTERM");
            return exited;
          },
        });
      }
    });
    child.on("exit", (code) => reject(new Error(`keel ${args.join(" ")} exited ${code}: ${stderr}`)));
  });
}

/** POSTs `body` as JSON; throws with the status and text on anything but 2xx. */
export async function postJson(url, body) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}
