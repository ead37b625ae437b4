/**
 * The UI tests' real parts: `keel server` started from the built CLI (the UI ships inside the
 * keel package's dist) on 127.0.0.1 port 0 in a project folder, and Debian's Chromium driven by
 * playwright-core (never a downloaded browser).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
/** Debian's Chromium. */
export const CHROMIUM = "/usr/bin/chromium";
/** The built CLI. */
const CLI = join(ROOT, "packages", "keel", "dist", "cli", "main.js");
/** Where screenshots go (kept as CI artifacts). */
export const SHOTS = join(ROOT, "test-results", "ui");

/** What the tests need built: say so plainly instead of failing obscurely. */
export function assertBuilt(): void {
  for (const f of [CLI, join(ROOT, "packages", "keel", "dist", "ui", "index.html")]) {
    if (!existsSync(f))
      throw new Error(`${f} is missing: run 'npm run build' (it builds the CLI and the UI).`);
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: 'apt-get install chromium' (.ci/run does).`);
}

/** A running `keel server`. */
export interface ServerHandle {
  url: string;
  stop(): Promise<void>;
}

/** Start `keel server --port 0` in `cwd`; resolves with its URL once it listens. */
export async function startKeelServer(
  cwd: string,
  backendStoreUri: string,
  artifactsDestination: string,
  env: Record<string, string> = {},
): Promise<ServerHandle> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      CLI,
      "server",
      "--port",
      "0",
      "--backend-store-uri",
      backendStoreUri,
      "--artifacts-destination",
      artifactsDestination,
    ],
    { cwd, env: { ...process.env, KEEL_SERVER_TOKEN: "", ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`keel server did not start in 30 s:\n${out}`)), 30_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`keel server exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Chromium, headless, with no background networking. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

/** A page that records every request it makes and every console error / page error. */
export async function openPage(
  browser: Browser,
  base: string,
): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.setDefaultTimeout(20_000);
  void base;
  return { page, requests, errors };
}

/** Save a screenshot under test-results/ui/. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Requests that left 127.0.0.1 (data:/blob: URLs stay in the page). */
export function outsideRequests(requests: readonly string[]): string[] {
  return requests.filter(
    (u) => !u.startsWith("data:") && !u.startsWith("blob:") && new URL(u).hostname !== "127.0.0.1",
  );
}
