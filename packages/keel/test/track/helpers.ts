/** Shared setup of the tracking tests: a real embedded store or a real server, in a temp folder. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openArtifactStore } from "../../src/artifacts/open-artifact-store.js";
import { isKeelError, type KeelError } from "../../src/errors.js";
import { type RunningServer, startServer } from "../../src/server/start-server.js";
import type { MetadataStore } from "../../src/store/metadata-store.js";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import { Tracker } from "../../src/track/tracker.js";
import type { TrackerOptions } from "../../src/track/tracker-config.js";

/** The two ways a Tracker reaches its store. */
export type Mode = "embedded" | "remote";

/** Token the test servers require. */
export const TOKEN = "track-test-token";

/** A tracker on a fresh store, plus a direct view of the same database for checks. */
export interface TrackingEnv {
  mode: Mode;
  dir: string;
  tracker: Tracker;
  trackingUri: string;
  /** The same SQLite database, opened in-process (for remote mode: the server's database). */
  direct: MetadataStore;
  /** The server, in remote mode. */
  server?: RunningServer;
  /** Text of a run artifact, read without the tracker: the artifact store, or the server's HTTP API. */
  readArtifact(runId: string, path: string): Promise<string>;
  close(): Promise<void>;
}

/** A fresh temp folder. */
export function tempDir(prefix = "keel-track-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Start a Keel server on 127.0.0.1 with a store and artifacts in `dir`. */
export function startTestServer(dir: string, port = 0): Promise<RunningServer> {
  return startServer({
    host: "127.0.0.1",
    port,
    backendStoreUri: join(dir, "server.db"),
    artifactsDestination: join(dir, "server-artifacts"),
    token: TOKEN,
    logger: false,
  });
}

/** Open a tracking environment in `mode`. */
export async function openEnv(mode: Mode, options: TrackerOptions = {}): Promise<TrackingEnv> {
  const dir = await tempDir();
  if (mode === "embedded") {
    const trackingUri = join(dir, "keel.db");
    const tracker = await Tracker.open({
      trackingUri,
      artifactRoot: join(dir, "artifacts"),
      cwd: dir,
      ...options,
    });
    const direct = await openMetadataStore(trackingUri);
    return {
      mode,
      dir,
      tracker,
      trackingUri,
      direct,
      async readArtifact(runId, path) {
        const run = await direct.getRun(runId);
        return streamText(await (await openArtifactStore(run.info.artifactUri)).get(path));
      },
      async close() {
        await tracker.close().catch(() => {});
        await direct.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const server = await startTestServer(dir);
  const tracker = await Tracker.open({ trackingUri: server.url, token: TOKEN, cwd: dir, ...options });
  const direct = await openMetadataStore(join(dir, "server.db"));
  return {
    mode,
    dir,
    tracker,
    trackingUri: server.url,
    direct,
    server,
    async readArtifact(runId, path) {
      const url = `${server.url}/get-artifact?run_id=${runId}&path=${encodeURIComponent(path)}`;
      const res = await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
      if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
      return res.text();
    },
    async close() {
      await tracker.close().catch(() => {});
      await direct.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** All of a readable stream, as UTF-8. */
export async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** The KeelError `promise` rejects with (fails the test when it resolves or throws something else). */
export async function keelErrorOf(promise: Promise<unknown>): Promise<KeelError> {
  try {
    await promise;
  } catch (e) {
    if (isKeelError(e)) return e;
    throw e;
  }
  throw new Error("expected a KeelError, but the call succeeded");
}

/** Every value of a metric, through the store's pages. */
export async function fullHistory(store: MetadataStore, runId: string, key: string) {
  const values = [];
  let token: string | undefined;
  do {
    const page = await store.getMetricHistory(runId, key, { maxResults: 1000, pageToken: token });
    values.push(...page.items);
    token = page.nextPageToken;
  } while (token);
  return values;
}

/** URL of the compiled tracking client, which child processes import. */
export const DIST_TRACK = new URL("../../dist/track/index.js", import.meta.url).href;

/** Path of the compiled tracking client. */
export const DIST_TRACK_PATH = fileURLToPath(DIST_TRACK);

/** Run an ES module given as source text in a child node process. */
export function spawnModule(source: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ["--input-type=module", "-e", source], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** The first stdout line of `child` (rejects when it exits first, with its stderr). */
export function firstLine(child: ChildProcess, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(
      () => reject(new Error(`no output from child in ${timeoutMs} ms: ${err}`)),
      timeoutMs,
    );
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl).trim());
      }
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code ?? signal}) before printing a line: ${err}`));
    });
  });
}

/** Exit code and signal of `child`, with its stderr, once it ends. */
export function exitOf(
  child: ChildProcess,
  timeoutMs = 30_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode, stderr });
      return;
    }
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`child did not exit within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

/** Poll `check` until it returns true or `timeoutMs` passes. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}
