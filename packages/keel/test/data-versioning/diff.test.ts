/** keel data diff: tables through DuckDB over the cached objects, folders through manifests. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addData } from "../../src/data/versioning/add-data.js";
import { diffVersions } from "../../src/data/versioning/data-diff.js";
import { isKeelError } from "../../src/errors.js";
import { keelData, makeProject, type TestProject, WEATHER_CSV } from "./project.js";

let p: TestProject;
const original = readFileSync(WEATHER_CSV, "utf8");
const lines = original.trimEnd().split("\n");
const header = lines[0] as string;
const rows = lines.slice(1);

beforeAll(async () => {
  p = await makeProject();
  const csv = p.path("data/weather.csv");
  writeFileSync(csv, original);
  await addData(p.ws, p.store, csv, { name: "weather" });
  // v2: rows 0 and 9 change, row 4 is removed, one new day is added.
  const edited = rows
    .map((r, i) => (i === 0 || i === 9 ? r.replace(/,(\w+)$/, ",hail") : r))
    .filter((_, i) => i !== 4);
  edited.push("2016-01-01,1.5,3.0,-1.0,2.0,hail");
  writeFileSync(csv, `${[header, ...edited].join("\n")}\n`);
  await addData(p.ws, p.store, csv);
  // v3: a column is added.
  writeFileSync(csv, `${[`${header},station`, ...edited.map((r) => `${r},SEA`)].join("\n")}\n`);
  await addData(p.ws, p.store, csv);
});
afterAll(async () => {
  await p.close();
});

describe("table diff", () => {
  it("matches rows by a key column", async () => {
    const d = await diffVersions(p.ws, p.store, "weather@1", "weather@2", { key: "date" });
    expect(d).toMatchObject({ kind: "table", identical: false, a: { version: 1 }, b: { version: 2 } });
    const t = d.table!;
    expect(t.rows).toEqual({ a: 1461, b: 1461, delta: 0 });
    expect(t.schema).toEqual({ added: [], removed: [], retyped: [] });
    expect(t.rowChanges).toMatchObject({
      by: "key",
      key: "date",
      added: 1,
      removed: 1,
      changed: 2,
      unchanged: 1458,
    });
    if (t.rowChanges.by !== "key") throw new Error("expected a key diff");
    const day = (i: number) => rows[i]?.split(",")[0];
    expect(t.rowChanges.examples.removed.map((v) => new Date(v as Date).toISOString().slice(0, 10))).toEqual([
      day(4),
    ]);
    expect(t.rowChanges.examples.changed.map((v) => new Date(v as Date).toISOString().slice(0, 10))).toEqual([
      day(0),
      day(9),
    ]);
    // Statistic deltas come from the profiler over each version.
    const precipitation = t.columns.find((c) => c.name === "precipitation")!;
    expect(precipitation.mean.delta).not.toBe(0);
    expect(precipitation.mean.delta).toBeCloseTo(
      (precipitation.mean.b ?? 0) - (precipitation.mean.a ?? 0),
      12,
    );
    const weather = t.columns.find((c) => c.name === "weather")!;
    expect(weather.distinct).toEqual({ a: 5, b: 6, delta: 1 });
    expect(weather.nullShare).toEqual({ a: 0, b: 0, delta: 0 });
  });

  it("compares whole rows without a key (multiset difference)", async () => {
    const d = await diffVersions(p.ws, p.store, "weather@1", "weather@2");
    expect(d.table?.rowChanges).toMatchObject({ by: "row-hash", added: 3, removed: 3, unchanged: 1458 });
    if (d.table?.rowChanges.by !== "row-hash") throw new Error("expected a row diff");
    expect(d.table.rowChanges.examples.added.map((r) => r.weather).sort()).toEqual(["hail", "hail", "hail"]);
  });

  it("reports schema changes and compares rows over the shared columns", async () => {
    const d = await diffVersions(p.ws, p.store, "weather@2", "weather@latest", { key: "date" });
    expect(d.b.version).toBe(3);
    expect(d.table?.schema.added).toEqual([{ name: "station", type: "VARCHAR" }]);
    expect(d.table?.rowChanges).toMatchObject({ added: 0, removed: 0, changed: 0, unchanged: 1461 });
    expect(d.table?.columns.map((c) => c.name)).not.toContain("station");
  });

  it("names bad keys and bad references", async () => {
    await expect(diffVersions(p.ws, p.store, "weather@1", "weather@2", { key: "nope" })).rejects.toThrow(
      /Unknown key column 'nope' in weather@1; its columns are: date, precipitation/,
    );
    await expect(diffVersions(p.ws, p.store, "weather@1", "weather@2", { key: "weather" })).rejects.toThrow(
      /Key column 'weather' is not a unique, non-null key in weather@1/,
    );
    const bad = await diffVersions(p.ws, p.store, "weather@one", "weather@2").catch((e: unknown) => e);
    expect(isKeelError(bad) && bad.code).toBe("INVALID_PARAMETER_VALUE");
    await expect(diffVersions(p.ws, p.store, "weather@1", "weather@99")).rejects.toThrow(
      /weather@99 not found/,
    );
    await expect(diffVersions(p.ws, p.store, "data/weather.csv", "weather@2")).rejects.toThrow(
      /expected NAME@VERSION/,
    );
  });

  it("prints a readable summary and JSON through the CLI", () => {
    const text = keelData(p.root, ["diff", "weather@1", "weather@2", "--key", "date"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/rows by key date: \+1 added, -1 removed, ~2 changed, 1458 unchanged/);
    const json = keelData(p.root, ["diff", "weather@1", "weather@2", "--json"]);
    expect(JSON.parse(json.stdout).table.rowChanges.by).toBe("row-hash");
  });
});

describe("folder diff", () => {
  it("lists files added, removed and changed", async () => {
    const dir = p.path("data/set");
    mkdirSync(dir);
    writeFileSync(join(dir, "a.txt"), "a");
    writeFileSync(join(dir, "b.txt"), "b");
    writeFileSync(join(dir, "c.txt"), "c");
    await addData(p.ws, p.store, dir);
    writeFileSync(join(dir, "a.txt"), "A");
    rmSync(join(dir, "b.txt"));
    writeFileSync(join(dir, "d.txt"), "d");
    await addData(p.ws, p.store, dir);
    const d = await diffVersions(p.ws, p.store, "set@1", "set@2");
    expect(d).toMatchObject({
      kind: "folder",
      files: { added: ["d.txt"], removed: ["b.txt"], changed: ["a.txt"], unchanged: 1 },
    });
  });
});
