/**
 * Restoring an older version on a fresh clone: a plain `keel data pull` fetches only what the
 * current pointers reference, so `checkout --version N` names the exact pull command, and
 * `pull NAME@N` fetches that version's objects (a folder's manifest and files) for the checkout.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addData } from "../../src/data/versioning/add-data.js";
import { checkoutData } from "../../src/data/versioning/checkout-data.js";
import { objectKey } from "../../src/data/versioning/object-key.js";
import { pullData, pushData } from "../../src/data/versioning/transfer-data.js";
import { isKeelError, type KeelError } from "../../src/errors.js";
import type { MetadataStore } from "../../src/store/metadata-store.js";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import { makeTempDir } from "../support/temp-dir.js";
import { keelData, makeProject, setRemote, type TestProject, WEATHER_CSV } from "./project.js";

const V1 = readFileSync(WEATHER_CSV);
const V2 = Buffer.concat([V1, Buffer.from("2016-01-01,0,1,0,1,sun\n")]);

let a: TestProject;
let b: TestProject;
let remoteDir: string;
let cleanupRemote = () => {};
/** B's copy of A's metadata store (what a teammate gets with the shared store file). */
let storeCopy: string;

beforeEach(async () => {
  a = await makeProject("keel-pv-a");
  b = await makeProject("keel-pv-b");
  const t = makeTempDir("keel-pv-remote");
  remoteDir = join(t.dir, "remote");
  cleanupRemote = t.cleanup;
  setRemote(a, "default", remoteDir);
  setRemote(b, "default", remoteDir);
  a.ws = a.reload();
  b.ws = b.reload();
  storeCopy = b.path(".keel/team.db");
});
afterEach(async () => {
  await a.close();
  await b.close();
  cleanupRemote();
});

/** Copy A's store into B through SQLite's backup API (A's connection may still hold WAL frames). */
async function copyStore(): Promise<void> {
  const db = new Database(a.path(".keel/keel.db"), { readonly: true });
  try {
    await db.backup(storeCopy);
  } finally {
    db.close();
  }
}

/** Copy A's pointers (what git carries) into B. */
function clonePointers(): void {
  for (const rel of ["data/weather.csv.keel", "data/docs.keel"]) {
    if (existsSync(a.path(rel))) cpSync(a.path(rel), b.path(rel));
  }
}

async function errorOf(promise: Promise<unknown>): Promise<KeelError> {
  const e = await promise.then(
    () => new Error("expected a KeelError, but the call succeeded"),
    (x: unknown) => x,
  );
  if (!isKeelError(e)) throw e;
  return e;
}

/** In A: weather v1 and v2, docs v1 and v2, each pushed right after it was added. */
async function twoVersionsPushed(): Promise<void> {
  writeFileSync(a.path("data/weather.csv"), V1);
  mkdirSync(a.path("data/docs/deep"), { recursive: true });
  writeFileSync(a.path("data/docs/one.txt"), "one");
  writeFileSync(a.path("data/docs/deep/two.txt"), "two");
  await addData(a.ws, a.store, "data/weather.csv", { cwd: a.root });
  await addData(a.ws, a.store, "data/docs", { cwd: a.root });
  await pushData(a.ws);
  writeFileSync(a.path("data/weather.csv"), V2);
  writeFileSync(a.path("data/docs/one.txt"), "one, edited");
  writeFileSync(a.path("data/docs/three.txt"), "three");
  await addData(a.ws, a.store, "data/weather.csv", { cwd: a.root });
  await addData(a.ws, a.store, "data/docs", { cwd: a.root });
  await pushData(a.ws);
}

describe("pull NAME@N", () => {
  let store: MetadataStore;
  afterEach(async () => {
    await store?.close();
  });

  it("fetches an older version's objects so checkout --version N restores its bytes", async () => {
    await twoVersionsPushed();
    clonePointers();
    await copyStore();
    store = await openMetadataStore(storeCopy);

    // A fresh clone: the plain pull brings v2, the pointers' version, and nothing of v1.
    const plain = await pullData(b.ws, null);
    expect(plain).toMatchObject({ pointers: 2, versions: [], missing: [], warnings: [] });
    expect(readFileSync(b.path("data/weather.csv")).equals(V2)).toBe(true);
    const notYet = await errorOf(checkoutData(b.ws, store, "data/weather.csv", { version: 1, cwd: b.root }));
    expect(notYet.code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect(notYet.message).toMatch(/weather@1 is not in the local cache .* keel data pull weather@1, then/);
    const folderNotYet = await errorOf(checkoutData(b.ws, store, "data/docs", { version: 1, cwd: b.root }));
    expect(folderNotYet.message).toContain("keel data pull docs@1");

    const pulled = await pullData(b.ws, store, { paths: ["weather@1", "docs@1"], cwd: b.root });
    const v1 = await store.getDatasetVersion("weather", 1);
    const docs1 = await store.getDatasetVersion("docs", 1);
    expect(pulled).toMatchObject({
      pointers: 0,
      versions: [
        { name: "weather", version: 1, digest: v1.digest, path: "data/weather.csv", isdir: false },
        { name: "docs", version: 1, digest: docs1.digest, path: "data/docs", isdir: true },
      ],
      // weather@1, docs@1's manifest and its one.txt; two.txt came with v2.
      objects: 4,
      transferred: 3,
      alreadyThere: 1,
      missing: [],
      checkedOut: [],
    });
    expect(await b.ws.cache.has(objectKey(docs1.digest, true))).toBe(true);
    // Fetched, not checked out: the workspace still holds v2.
    expect(readFileSync(b.path("data/weather.csv")).equals(V2)).toBe(true);

    const restored = await checkoutData(b.ws, store, "data/weather.csv", { version: 1, cwd: b.root });
    expect(restored).toMatchObject({ name: "weather", version: 1, restored: 1 });
    expect(readFileSync(b.path("data/weather.csv")).equals(V1)).toBe(true);
    await checkoutData(b.ws, store, "data/docs", { version: 1, cwd: b.root });
    expect(readFileSync(b.path("data/docs/one.txt"), "utf8")).toBe("one");
    expect(readFileSync(b.path("data/docs/deep/two.txt"), "utf8")).toBe("two");
    expect(readdirSync(b.path("data/docs")).sort()).toEqual(["deep", "one.txt"]);

    // Nothing left to move; `latest` resolves through the store.
    expect(await pullData(b.ws, store, { paths: ["weather@1", "weather@latest"] })).toMatchObject({
      versions: [
        { name: "weather", version: 1 },
        { name: "weather", version: 2 },
      ],
      transferred: 0,
      alreadyThere: 2,
    });
  });

  it("needs the store for references and reports unknown versions", async () => {
    await twoVersionsPushed();
    await copyStore();
    store = await openMetadataStore(storeCopy);
    const noStore = await errorOf(pullData(b.ws, null, { paths: ["weather@1"] }));
    expect(noStore.code).toBe("INVALID_STATE");
    const unknown = await errorOf(pullData(b.ws, store, { paths: ["weather@9"] }));
    expect(unknown.code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect(unknown.message).toContain("weather@9");
    const bad = await errorOf(pullData(b.ws, store, { paths: ["weather@two"] }));
    expect(bad.code).toBe("INVALID_PARAMETER_VALUE");
  });

  it("push NAME@N sends a version no pointer references; pull reports what the remote lacks", async () => {
    // A adds v1 and v2 but pushes only the pointers' version (v2).
    writeFileSync(a.path("data/weather.csv"), V1);
    const first = await addData(a.ws, a.store, "data/weather.csv", { cwd: a.root });
    writeFileSync(a.path("data/weather.csv"), V2);
    await addData(a.ws, a.store, "data/weather.csv", { cwd: a.root });
    expect(await pushData(a.ws)).toMatchObject({ transferred: 1 });
    await copyStore();
    store = await openMetadataStore(storeCopy);

    const lacking = await pullData(b.ws, store, { paths: ["weather@1"] });
    expect(lacking.missing).toEqual([objectKey(first.digest)]);
    expect(lacking.transferred).toBe(0);

    expect(await pushData(a.ws, { paths: ["weather@1"] }, a.store)).toMatchObject({
      pointers: 0,
      versions: [{ name: "weather", version: 1, isdir: false }],
      transferred: 1,
      missing: [],
    });
    expect(await pullData(b.ws, store, { paths: ["weather@1"] })).toMatchObject({
      transferred: 1,
      missing: [],
    });
    await checkoutData(b.ws, store, "weather@1");
    expect(readFileSync(b.path("data/weather.csv")).equals(V1)).toBe(true);
  });
});

describe("keel data pull NAME@N (CLI)", () => {
  it("names the pull command, then restores v1 after pulling it", async () => {
    writeFileSync(a.path("data/weather.csv"), V1);
    for (const args of [["add", "data/weather.csv"], ["push"]]) {
      const r = keelData(a.root, args);
      expect(r.code, r.stderr).toBe(0);
    }
    writeFileSync(a.path("data/weather.csv"), V2);
    for (const args of [["add", "data/weather.csv"], ["push"]]) {
      const r = keelData(a.root, args);
      expect(r.code, r.stderr).toBe(0);
    }
    clonePointers();
    await copyStore();
    const store = ["--tracking-uri", storeCopy];

    expect(keelData(b.root, ["pull"]).code).toBe(0);
    expect(readFileSync(b.path("data/weather.csv")).equals(V2)).toBe(true);
    const missing = keelData(b.root, ["checkout", "data/weather.csv", "--version", "1", ...store]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("keel data pull weather@1");

    const pull = keelData(b.root, ["pull", "weather@1", ...store]);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.stdout).toMatch(/^pulled 1 object\(s\), .* from default /);
    expect(pull.stdout).toContain(
      "weather@1  data/weather.csv: in the cache; restore it with keel data checkout weather@1",
    );
    const co = keelData(b.root, ["checkout", "data/weather.csv", "--version", "1", ...store]);
    expect(co.code, co.stderr).toBe(0);
    expect(readFileSync(b.path("data/weather.csv")).equals(V1)).toBe(true);

    const json = keelData(b.root, ["pull", "weather@latest", "--json", ...store]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      pointers: 0,
      versions: [{ name: "weather", version: 2 }],
      transferred: 0,
    });
    rmSync(storeCopy, { force: true });
  });
});
