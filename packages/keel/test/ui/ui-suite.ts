/**
 * The end-to-end UI scenarios, run against one backend: a store seeded with real runs, `keel
 * server` serving the built UI, Chromium clicking through it. `ui-sqlite.test.ts` and
 * `ui-postgres.test.ts` run the same suite.
 */
import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import { type PostgresHandle, startPostgres } from "../support/postgres.js";
import {
  assertBuilt,
  launchChromium,
  openPage,
  outsideRequests,
  type ServerHandle,
  shot,
  startKeelServer,
} from "./harness.js";
import { type Seeded, seedStore } from "./seed.js";

/** Wait until the chart inside `scope` has drawn, and return how many SVG paths it drew. */
async function drawnPaths(page: Page, scope: string): Promise<number> {
  const chart = page.locator(`${scope} [data-chart][data-rendered="true"]`).first();
  await chart.waitFor();
  return chart.locator("svg path").count();
}

/** Define the suite for `backend`. */
export function defineUiSuite(backend: "sqlite" | "postgresql"): void {
  describe(`web UI on ${backend}`, () => {
    let dir: string;
    let pg: PostgresHandle | undefined;
    let uri: string;
    let seeded: Seeded;
    let server: ServerHandle;
    let browser: Browser;
    let page: Page;
    let requests: string[];
    let errors: string[];

    beforeAll(async () => {
      assertBuilt();
      dir = await mkdtemp(join(tmpdir(), `keel-ui-${backend}-`));
      if (backend === "postgresql") {
        pg = await startPostgres();
        uri = await pg.createDatabase();
      } else uri = join(dir, ".keel", "keel.db");
      const artifacts = join(dir, ".keel", "artifacts");
      seeded = await seedStore(dir, uri, artifacts);
      [server, browser] = await Promise.all([startKeelServer(dir, uri, artifacts), launchChromium()]);
      ({ page, requests, errors } = await openPage(browser, server.url));
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await pg?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const url = (path: string) => `${server.url}${path}`;
    const shotName = (name: string) => `${backend}-${name}`;

    it("lists experiments with run counts, filters runs and opens one with its metric chart drawn", async () => {
      await page.goto(url("/experiments"));
      // 2 searches x (parent + 4 trials + refit) = 12 runs.
      await expect.poll(() => page.getByTestId(`run-count-${seeded.experimentId}`).textContent()).toBe("12");
      await page.getByRole("link", { name: "penguins-search" }).click();
      await page.getByText(/^12 runs loaded/).waitFor();

      await page.getByLabel("Filter runs").fill("tags.`keel.command` = 'search'");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByText(/^2 runs loaded/).waitFor();
      expect(page.url()).toContain("filter=");
      expect(await page.locator('[role="grid"] .grid-body [role="row"]').count()).toBe(2);
      await shot(page, shotName("runs-filtered"));

      // A bad filter is the server's precise message, not a blank table.
      await page.getByLabel("Filter runs").fill("metrics.x >>> 1");
      await page.getByRole("button", { name: "Apply" }).click();
      await expect
        .poll(() => page.getByRole("alert").textContent())
        .toMatch(/filter|token|position|Invalid/i);
      // The browser logs the expected 400 once; any other error still fails the last test.
      await expect.poll(() => errors.findIndex((e) => e.includes("status of 400"))).toBeGreaterThanOrEqual(0);
      errors.splice(
        errors.findIndex((e) => e.includes("status of 400")),
        1,
      );
      await page.getByLabel("Filter runs").fill("tags.`keel.command` = 'search'");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByText(/^2 runs loaded/).waitFor();

      // Keyboard: the grid takes focus, Enter opens the active (newest) run.
      await page.getByRole("grid", { name: "Runs" }).focus();
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("ArrowUp");
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/runs\//);
      expect(page.url()).toContain(seeded.searchRunIds[1]);
      const paths = await drawnPaths(page, '[data-metric="best_cv_accuracy_mean"]');
      expect(paths).toBeGreaterThan(3);
      await expect.poll(() => page.getByRole("link", { name: /^penguins@2$/ }).count()).toBe(1);
      await expect.poll(() => page.getByRole("cell", { name: "trial 3" }).count()).toBe(1);
      // Artifacts: the leaderboard CSV previews as a table.
      await page.getByRole("button", { name: /search\// }).click();
      await page.getByRole("button", { name: "leaderboard.csv" }).click();
      await expect
        .poll(() => page.getByTestId("artifact-preview").locator("th").first().textContent())
        .toBe("rank");
      await shot(page, shotName("run"));
    });

    it("compares two runs selected with the keyboard", async () => {
      await page.goto(
        url(
          `/experiments/${seeded.experimentId}?filter=${encodeURIComponent("tags.`keel.command` = 'search'")}`,
        ),
      );
      await page.getByText(/^2 runs loaded/).waitFor();
      await page.getByRole("grid", { name: "Runs" }).focus();
      await page.keyboard.press("Space");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Space");
      await page.getByRole("button", { name: "Compare (2)" }).click();
      await page.waitForURL(/\/compare\?runs=/);
      const seedRow = page.locator('tr[data-differs="true"]', { hasText: "seed" });
      await expect.poll(() => seedRow.count()).toBe(1);
      expect(await page.locator('tr[data-differs="false"]', { hasText: "models" }).count()).toBe(1);
      expect(await drawnPaths(page, ".metric-chart")).toBeGreaterThan(3);
      expect(await drawnPaths(page, '[aria-labelledby="parallel-coordinates-h"]')).toBeGreaterThan(3);
      expect(await drawnPaths(page, '[aria-labelledby="scatter-h"]')).toBeGreaterThan(1);
      await shot(page, shotName("compare"));
    });

    it("moves an alias through the confirmation dialog, and the store changes", async () => {
      await page.goto(url(`/models/${seeded.model}`));
      await expect.poll(() => page.getByTestId("aliases-1").textContent()).toContain("@champion");
      await page.getByLabel("Alias", { exact: true }).fill("champion");
      await page.getByRole("combobox", { name: /^Version/ }).selectOption("2");
      await page.getByRole("button", { name: "Move alias" }).click();
      const dialog = page.getByRole("dialog");
      await expect.poll(() => dialog.textContent()).toContain("points at v1. Move it to v2?");
      await shot(page, shotName("alias-dialog"));
      await dialog.getByRole("button", { name: "Move alias" }).click();
      await expect.poll(() => page.getByTestId("aliases-2").textContent()).toContain("@champion");
      expect(await page.getByTestId("aliases-1").textContent()).not.toContain("@champion");
      const store = await openMetadataStore(uri);
      try {
        expect((await store.getModelVersionByAlias(seeded.model, "champion")).version).toBe("2");
        const moves = await store.getAliasHistory(seeded.model, "champion");
        expect(moves.at(-1)).toMatchObject({ fromVersion: "1", toVersion: "2" });
      } finally {
        await store.close();
      }
      await shot(page, shotName("model"));
    });

    it("opens a dataset profile with per-column charts, and the diff of two versions", async () => {
      await page.goto(url(`/datasets/${seeded.dataset}?version=1`));
      const profile = page.getByTestId("dataset-profile");
      await expect.poll(() => profile.textContent()).toContain("268 rows, 7 columns");
      expect(await drawnPaths(page, '[data-column="body_mass_g"]')).toBeGreaterThan(3);
      expect(await drawnPaths(page, '[data-column="island"]')).toBeGreaterThan(3);
      await page.getByRole("button", { name: "Diff" }).click();
      await expect.poll(() => page.getByTestId("dataset-diff").textContent()).toContain("21 removed");
      await shot(page, shotName("dataset"));
    });

    it("opens an endpoint page: split, live figures, canary and its events", async () => {
      await page.goto(url(`/endpoints/${seeded.endpoint}`));
      const traffic = page.getByTestId("traffic");
      await expect.poll(() => traffic.textContent()).toContain("90%");
      expect(await traffic.textContent()).toContain("10%");
      expect(await traffic.textContent()).toContain("180");
      expect(
        await page.getByRole("progressbar", { name: "Canary progress" }).getAttribute("aria-valuenow"),
      ).toBe("10");
      expect(await page.getByTestId("events").textContent()).toMatch(/deployed/);
      // Polled: a second sample arrives and the live charts draw.
      await expect
        .poll(() => page.locator('[data-live="requests"] svg path').count(), { timeout: 10_000 })
        .toBeGreaterThan(3);
      await shot(page, shotName("endpoint"));
    });

    it("shows drift over time, the alerts and the latest drift report", async () => {
      await page.goto(url("/monitoring"));
      expect(await drawnPaths(page, '[aria-labelledby="drift-per-feature-over-time-h"]')).toBeGreaterThan(6);
      await expect
        .poll(() => page.getByTestId("alerts").textContent())
        .toMatch(/dataset drift: .*body_mass_g/);
      const report = page.frameLocator('iframe[title="Latest drift report"]');
      await expect.poll(() => report.locator("body").textContent()).toMatch(/body_mass_g/);
      expect(await page.locator('iframe[title="Latest drift report"]').getAttribute("sandbox")).toBe("");
      await shot(page, shotName("monitoring"));
    });

    it("draws the last pipeline run: its stage graph, the stage table, a click through to a stage run", async () => {
      await page.goto(url("/pipelines"));
      const stages = page.getByTestId("stages");
      await expect.poll(() => stages.textContent()).toContain("prepare");
      const rows = stages.locator("tbody tr");
      expect(await rows.count()).toBe(2);
      expect(await rows.nth(0).textContent()).toMatch(/prepare.*SKIPPED/);
      expect(await rows.nth(1).textContent()).toMatch(/train.*FINISHED.*lr 0\.2/);
      // Two stage nodes and the prepare -> train edge drawn from keel.yaml's graph.
      expect(await drawnPaths(page, '[aria-labelledby="stage-graph-h"]')).toBeGreaterThanOrEqual(3);
      expect(await page.locator(`main a[href$="/runs/${seeded.pipelineRunId}"]`).count()).toBe(1);
      await shot(page, shotName("pipelines"));
      await rows.nth(1).getByRole("link", { name: "train" }).click();
      await expect.poll(() => page.url()).toMatch(/\/runs\/[0-9a-f]{32}$/);
      await page.locator("main h1").waitFor();
    });

    it("made no request outside 127.0.0.1 and logged no errors", () => {
      expect(requests.length).toBeGreaterThan(20);
      expect(outsideRequests(requests)).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
}
