import { existsSync, mkdirSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClassificationPrediction, loadModel } from "../../../runtime/src/index.js";
import { numericColumn, stringColumn, tableOf } from "../../src/learn/core/table.js";
import { HistGradientBoostingClassifier } from "../../src/learn/ensemble/index.js";
import { saveModelPackage } from "../../src/learn/model-package/index.js";
import { defaultPipeline } from "../../src/learn/pipeline/index.js";
import { inferColumnRoles } from "../../src/learn/transform/column-roles.js";

const CHROMIUM = "/usr/bin/chromium";
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const RUNTIME_DIST = join(ROOT, "packages", "runtime", "dist");
const ORT_DIST = join(ROOT, "node_modules", "onnxruntime-web", "dist");
const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

// The page a browser app would be: onnxruntime-web resolved by an import map, wasm served locally.
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>@keel/runtime in a browser</title>
<script type="importmap">{"imports":{"onnxruntime-web":"/ort/ort.bundle.min.mjs"}}</script></head>
<body><h1>@keel/runtime</h1><pre id="out">loading…</pre>
<script type="module">
import { loadModel, ort } from "/runtime/browser.js";
ort.env.wasm.wasmPaths = "/ort/";
ort.env.wasm.numThreads = 1;
try {
  const model = await loadModel(new URL("/model/", location.href));
  const rows = await (await fetch("/rows.json")).json();
  const p = await model.predict(rows);
  window.__result = { labels: p.labels, probabilities: Array.from(p.probabilities) };
  let bad = "";
  try { await model.predict([{ size: "big" }]); } catch (e) { bad = e.message; }
  window.__rejection = bad;
  document.getElementById("out").textContent = JSON.stringify(window.__result, null, 1);
} catch (e) {
  window.__error = String(e && e.stack || e);
}
</script></body></html>`;

const N = 400;
const table = tableOf([
  numericColumn(
    "size",
    Array.from({ length: N }, (_, i) => (i * 37) % 101),
  ),
  numericColumn(
    "weight",
    Array.from({ length: N }, (_, i) => (i % 9 === 0 ? Number.NaN : ((i * 13) % 17) / 3)),
  ),
  stringColumn(
    "shade",
    Array.from({ length: N }, (_, i) => ["dark", "light", "mid"][i % 3]!),
  ),
]);
const y = Int32Array.from({ length: N }, (_, i) => (((i * 37) % 101) + (i % 3) * 20 > 60 ? 1 : 0));
const rows = Array.from({ length: 25 }, (_, i) => ({
  size: (i * 11) % 97,
  weight: i % 5 === 0 ? null : i / 4,
  shade: ["dark", "light", "mid"][i % 3],
}));

const skip = !existsSync(CHROMIUM) || !existsSync(join(RUNTIME_DIST, "browser.js"));
if (skip) {
  console.warn(
    `browser test skipped: needs ${CHROMIUM} (apt chromium; .ci/run installs it) and packages/runtime/dist (npm run build)`,
  );
}

describe.skipIf(skip)("@keel/runtime/browser in Chromium", () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "keel-browser-"));
    const pipe = defaultPipeline(
      inferColumnRoles(table),
      new HistGradientBoostingClassifier({ maxIter: 30, seed: 0 }),
      { impute: false },
    );
    pipe.fit(table, y, { classes: ["no", "yes"] });
    await saveModelPackage(join(dir, "model"), pipe, { name: "toy", inputs: table });
    const mounts: [string, string][] = [
      ["/runtime/", RUNTIME_DIST],
      ["/ort/", ORT_DIST],
      ["/model/", join(dir, "model")],
    ];
    server = createServer(async (req, res) => {
      const url = new URL(req.url ?? "/", "http://x").pathname;
      if (url === "/") return res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
      if (url === "/rows.json")
        return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(rows));
      for (const [prefix, folder] of mounts) {
        if (!url.startsWith(prefix)) continue;
        const file = resolve(folder, normalize(url.slice(prefix.length)));
        if (!file.startsWith(folder)) break;
        try {
          const body = await readFile(file);
          return res
            .writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" })
            .end(body);
        } catch {
          break;
        }
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
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
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("predicts the same labels and probabilities as the Node runtime, and lists bad input", async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(base);
    await page.waitForFunction(() => "__result" in globalThis || "__error" in globalThis, null, {
      timeout: 60_000,
    });
    const error = await page.evaluate(() => (globalThis as unknown as { __error?: string }).__error);
    expect(error).toBeUndefined();
    const inBrowser = await page.evaluate(
      () => (globalThis as unknown as { __result: { labels: string[]; probabilities: number[] } }).__result,
    );
    const rejection = await page.evaluate(
      () => (globalThis as unknown as { __rejection: string }).__rejection,
    );
    mkdirSync(join(ROOT, "test-results"), { recursive: true });
    await page.screenshot({ path: join(ROOT, "test-results", "runtime-browser.png") });

    const node = await loadModel(join(dir, "model"));
    const expected = (await node.predict(rows)) as ClassificationPrediction;
    await node.release();
    expect(inBrowser.labels).toEqual(expected.labels);
    const probs = Array.from(expected.probabilities);
    expect(inBrowser.probabilities).toHaveLength(probs.length);
    for (let i = 0; i < probs.length; i++)
      expect(Math.abs(inBrowser.probabilities[i]! - probs[i]!)).toBeLessThan(1e-5);
    expect(rejection).toMatch(/column 'size': expected number/);
    expect(rejection).toMatch(/column 'shade' is missing|column 'weight' is missing/);
    // Everything came from the local server: no request to any other host.
    expect(requests.every((u) => u.startsWith(base))).toBe(true);
  });
});
