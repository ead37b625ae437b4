import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaffoldProject } from "../../src/project/scaffold.js";
import { ASSET_CACHE_CONTROL, PAGE_CACHE_CONTROL } from "../../src/server/ui/serve-ui.js";
import {
  assertBuilt,
  launchChromium,
  openPage,
  outsideRequests,
  type ServerHandle,
  shot,
  startKeelServer,
} from "./harness.js";

const TOKEN = "ui-test-token-0123456789";

describe("keel server serves the built UI", () => {
  let dir: string;
  let server: ServerHandle;
  let browser: Browser;

  beforeAll(async () => {
    assertBuilt();
    dir = await mkdtemp(join(tmpdir(), "keel-ui-serve-"));
    scaffoldProject(dir, { name: "ui-serve" });
    [server, browser] = await Promise.all([
      startKeelServer(dir, join(dir, ".keel", "keel.db"), join(dir, ".keel", "artifacts"), {
        KEEL_SERVER_TOKEN: TOKEN,
      }),
      launchChromium(),
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("answers index.html no-cache for client routes and hashed assets immutable, without shadowing the API", async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe(PAGE_CACHE_CONTROL);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    // No absolute URL to any host in the page.
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    for (const asset of assets) {
      expect(asset).toMatch(/-[\w-]{8}\.(js|css)$/);
      const res = await fetch(`${server.url}${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe(ASSET_CACHE_CONTROL);
      expect(res.headers.get("content-type")).toMatch(asset.endsWith(".js") ? /javascript/ : /text\/css/);
      const body = await res.text();
      expect(body).not.toMatch(/fonts\.googleapis|cdn\.jsdelivr|unpkg\.com/);
    }
    for (const route of [
      "/experiments",
      "/experiments/1",
      "/runs/abc",
      "/compare?runs=a,b",
      "/models/x",
      "/pipelines",
    ]) {
      const res = await fetch(`${server.url}${route}`);
      expect(res.status, route).toBe(200);
      expect(res.headers.get("cache-control")).toBe(PAGE_CACHE_CONTROL);
      expect(await res.text()).toBe(html);
    }
    // API paths keep their own answers: auth first, then JSON errors; unknown paths are not the page.
    const api = await fetch(`${server.url}/api/2.0/mlflow/experiments/search`);
    expect(api.status).toBe(401);
    const unknown = await fetch(`${server.url}/nope`);
    expect(unknown.status).toBe(401);
    const authed = { headers: { Authorization: `Bearer ${TOKEN}` } };
    const missing = await fetch(`${server.url}/nope`, authed);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error_code: "ENDPOINT_NOT_FOUND" });
    const health = await fetch(`${server.url}/health`);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const badAsset = await fetch(`${server.url}/assets/..%2Fui%2Findex.html`);
    expect(badAsset.status).toBe(404);
    // POST to a page path is not opened by the UI's exemption.
    const post = await fetch(`${server.url}/experiments`, { method: "POST" });
    expect(post.status).toBe(401);
  });

  it("asks for the token once, sends it as a bearer header, and requests nothing outside 127.0.0.1", async () => {
    const { page, requests, errors } = await openPage(browser, server.url);
    const authHeaders: (string | undefined)[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/ajax-api/")) authHeaders.push(r.headers().authorization);
    });
    await page.goto(`${server.url}/experiments`);
    const dialog = page.getByRole("dialog", { name: "Sign in to this Keel server" });
    await dialog.waitFor();
    await shot(page, "token-dialog");
    await dialog.getByLabel("Token").fill(TOKEN);
    await dialog.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("link", { name: "Default" }).waitFor();
    expect(
      await page.evaluate(() =>
        (
          globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }
        ).sessionStorage.getItem("keel.token"),
      ),
    ).toBe(TOKEN);
    // A reload reuses the stored token: no second prompt.
    await page.reload();
    await page.getByRole("link", { name: "Default" }).waitFor();
    expect(await page.getByRole("dialog").count()).toBe(0);
    expect(authHeaders.filter((h) => h === `Bearer ${TOKEN}`).length).toBeGreaterThan(1);
    // Every page of the UI, empty store: still nothing fetched from another host.
    for (const path of ["/models", "/datasets", "/endpoints", "/monitoring", "/pipelines"]) {
      await page.goto(`${server.url}${path}`);
      await page.locator("main h1").waitFor();
      await page.locator("main .muted").first().waitFor();
    }
    await shot(page, "pipelines-empty");
    expect(outsideRequests(requests)).toEqual([]);
    expect(
      requests.every((u) => u.startsWith(server.url) || u.startsWith("data:") || u.startsWith("blob:")),
    ).toBe(true);
    // The first API call answered 401 before the token was entered; nothing else failed.
    expect(errors.filter((e) => !e.includes("status of 401"))).toEqual([]);
  });
});
