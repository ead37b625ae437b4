import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaffoldProject } from "../../src/project/scaffold.js";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import {
  assertBuilt,
  launchChromium,
  openPage,
  type ServerHandle,
  shot,
  startKeelServer,
} from "./harness.js";

const RUNS = 10_000;

describe("the runs table with 10,000 runs", () => {
  let dir: string;
  let server: ServerHandle;
  let browser: Browser;
  let experimentId: string;

  beforeAll(async () => {
    assertBuilt();
    dir = await mkdtemp(join(tmpdir(), "keel-ui-10k-"));
    scaffoldProject(dir, { name: "ui-10k" });
    const db = join(dir, ".keel", "keel.db");
    const store = await openMetadataStore(db);
    try {
      experimentId = await store.createExperiment("sweep");
      const t0 = Date.now() - RUNS * 1000;
      for (let from = 0; from < RUNS; from += 250) {
        await Promise.all(
          Array.from({ length: 250 }, async (_, k) => {
            const i = from + k;
            const run = await store.createRun({
              experimentId,
              runName: `run-${i}`,
              startTime: t0 + i * 1000,
            });
            await store.logBatch(run.info.runId, {
              params: [{ key: "lr", value: String((i % 100) / 1000) }],
              metrics: [{ key: "loss", value: 1 / (1 + (i % 977)), timestamp: t0 + i * 1000, step: 0 }],
              tags: [],
            });
          }),
        );
      }
    } finally {
      await store.close();
    }
    [server, browser] = await Promise.all([
      startKeelServer(dir, db, join(dir, ".keel", "artifacts")),
      launchChromium(),
    ]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("counts them, pages them in on scroll and keeps only a window of rows in the DOM", async () => {
    const { page, errors } = await openPage(browser, server.url);
    await page.goto(`${server.url}/experiments`);
    await expect.poll(() => page.getByTestId(`run-count-${experimentId}`).textContent()).toBe(String(RUNS));
    await page.goto(`${server.url}/experiments/${experimentId}`);
    await page.getByText(/^250 runs loaded, more on scroll/).waitFor();
    const grid = page.getByRole("grid", { name: "Runs" });
    const domRows = () => grid.locator(".grid-body [role=row]").count();
    const loaded = async () => Number((await page.getByTestId("runs-loaded").textContent())!.split(" ")[0]);
    await grid.focus();
    let most = 0;
    // End jumps to the last loaded row; the grid fetches the next page near the end, until all are in.
    while ((await loaded()) < RUNS) {
      const before = await loaded();
      await page.keyboard.press("End");
      await expect.poll(loaded, { timeout: 15_000 }).toBeGreaterThan(before);
      most = Math.max(most, await domRows());
    }
    await page.getByText(`${RUNS} runs loaded.`).waitFor();
    await page.keyboard.press("End");
    await expect.poll(() => grid.locator('[role=row][aria-rowindex="10001"]').count()).toBe(1);
    most = Math.max(most, await domRows());
    // Newest first: the last row is the oldest run.
    expect(await grid.locator('[role=row][aria-rowindex="10001"]').textContent()).toContain("run-0");
    await page.keyboard.press("Home");
    await expect
      .poll(() => grid.locator('[role=row][aria-rowindex="2"]').textContent())
      .toContain(`run-${RUNS - 1}`);
    expect(most).toBeLessThan(60);
    expect(await domRows()).toBeLessThan(60);
    // Server-side sort on a metric column: descending, then ascending (smallest loss 1/977).
    await page.getByRole("button", { name: "Sort by loss" }).click();
    await page
      .getByRole("columnheader", { name: /loss/ })
      .and(page.locator('[aria-sort="descending"]'))
      .waitFor();
    await page.getByRole("button", { name: "Sort by loss" }).click();
    await page
      .getByRole("columnheader", { name: /loss/ })
      .and(page.locator('[aria-sort="ascending"]'))
      .waitFor();
    await expect
      .poll(() => grid.locator('[role=row][aria-rowindex="2"]').textContent())
      .toContain("0.0010235");
    await shot(page, "runs-10k");
    expect(errors).toEqual([]);
  });
});
