/** keel data push / pull between two project folders through a folder remote. */
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addData } from "../../src/data/versioning/add-data.js";
import { dataStatus } from "../../src/data/versioning/data-status.js";
import { listObjectKeys } from "../../src/data/versioning/object-folder.js";
import { objectKey } from "../../src/data/versioning/object-key.js";
import { openRemote } from "../../src/data/versioning/open-remote.js";
import { pullData, pushData } from "../../src/data/versioning/transfer-data.js";
import { isKeelError } from "../../src/errors.js";
import { makeTempDir } from "../support/temp-dir.js";
import { makeProject, setRemote, type TestProject, WEATHER_CSV } from "./project.js";

let a: TestProject;
let b: TestProject;
let remoteDir: string;
let cleanupRemote = () => {};
beforeEach(async () => {
  a = await makeProject("keel-dv-a");
  b = await makeProject("keel-dv-b");
  const t = makeTempDir("keel-dv-remote");
  remoteDir = join(t.dir, "remote");
  cleanupRemote = t.cleanup;
  setRemote(a, "default", remoteDir);
  setRemote(b, "default", `file://${remoteDir}`);
  a.ws = a.reload();
  b.ws = b.reload();
});
afterEach(async () => {
  await a.close();
  await b.close();
  cleanupRemote();
});

/** Copy project a's pointers (what git would carry) into project b. */
function commitPointers(): void {
  for (const name of readdirSync(a.path("data"))) {
    if (name.endsWith(".keel")) cpSync(a.path(`data/${name}`), b.path(`data/${name}`));
  }
}

describe("push and pull", () => {
  it("reproduce files and folders exactly, moving only missing objects", async () => {
    cpSync(WEATHER_CSV, a.path("data/weather.csv"));
    mkdirSync(a.path("data/docs/deep"), { recursive: true });
    writeFileSync(a.path("data/docs/one.txt"), "one");
    writeFileSync(a.path("data/docs/deep/two.txt"), "two");
    await addData(a.ws, a.store, "data/weather.csv", { cwd: a.root });
    const folder = await addData(a.ws, a.store, "data/docs", { cwd: a.root });

    const pushed = await pushData(a.ws);
    expect(pushed).toMatchObject({
      remote: "default",
      pointers: 2,
      objects: 4,
      transferred: 4,
      alreadyThere: 0,
      missing: [],
    });
    expect((await listObjectKeys(remoteDir)).has(objectKey(folder.digest, true))).toBe(true);
    // Nothing moves the second time.
    expect(await pushData(a.ws)).toMatchObject({ transferred: 0, alreadyThere: 4, bytes: 0 });

    commitPointers();
    const pulled = await pullData(b.ws, null);
    expect(pulled).toMatchObject({ pointers: 2, objects: 4, transferred: 4, missing: [], warnings: [] });
    expect(readFileSync(b.path("data/weather.csv")).equals(readFileSync(WEATHER_CSV))).toBe(true);
    expect(readFileSync(b.path("data/docs/deep/two.txt"), "utf8")).toBe("two");
    expect(readFileSync(b.path("data/docs/one.txt"), "utf8")).toBe("one");
    expect((await dataStatus(b.ws)).entries.every((e) => e.state === "clean" && e.inCache)).toBe(true);

    // A new version in a: only its new object moves.
    writeFileSync(a.path("data/docs/one.txt"), "one, edited");
    await addData(a.ws, a.store, "data/docs", { cwd: a.root });
    expect(await pushData(a.ws, { paths: ["data/docs"], cwd: a.root })).toMatchObject({
      pointers: 1,
      transferred: 2,
    });
    commitPointers();
    expect(await pullData(b.ws, null)).toMatchObject({ transferred: 2 });
    expect(readFileSync(b.path("data/docs/one.txt"), "utf8")).toBe("one, edited");
  });

  it("verifies every object on arrival: a damaged remote copy is not stored", async () => {
    writeFileSync(a.path("data/x.txt"), "precious bytes");
    const { digest } = await addData(a.ws, a.store, "data/x.txt", { cwd: a.root });
    await pushData(a.ws);
    const remoteObject = join(remoteDir, "sha256", digest.slice(0, 2), digest.slice(2));
    chmodSync(remoteObject, 0o644);
    writeFileSync(remoteObject, "precious bytez");
    commitPointers();
    const e = await pullData(b.ws, null).catch((x: unknown) => x);
    expect(isKeelError(e) && e.code).toBe("INVALID_STATE");
    expect((e as Error).message).toMatch(
      new RegExp(`Object ${digest} from .* arrived with different content`),
    );
    expect(await b.ws.cache.has(objectKey(digest))).toBe(false);
    expect(readdirSync(b.path(".keel/tmp"))).toEqual([]);
  });

  it("reports objects missing at the source", async () => {
    writeFileSync(a.path("data/x.txt"), "x");
    await addData(a.ws, a.store, "data/x.txt", { cwd: a.root });
    commitPointers();
    const pulled = await pullData(b.ws, null);
    expect(pulled.missing).toHaveLength(1);
    expect(pulled.warnings[0]).toMatch(/not in the local cache.*keel data pull/);
  });

  it("chooses remotes by name, `default`, or the only one, with clear errors otherwise", async () => {
    expect((await openRemote({ remotes: { nas: { url: "/mnt/x" } } }, "/p")).name).toBe("nas");
    expect((await openRemote({ remotes: { nas: { url: "rel/dir" } } }, "/p")).remote.url).toBe("rel/dir");
    await expect(openRemote({}, "/p")).rejects.toThrow(/No data remote configured.*remotes:/s);
    await expect(openRemote({ remotes: { x: { url: "/a" }, y: { url: "/b" } } }, "/p")).rejects.toThrow(
      /Several data remotes .*x, y.*--remote NAME/,
    );
    await expect(openRemote({ remotes: { x: { url: "/a" } } }, "/p", "nope")).rejects.toThrow(
      /No data remote named 'nope' \(configured: x\)/,
    );
    const s3 = await openRemote({ remotes: { s3: { url: "s3://bucket/keel" } } }, "/p").catch(
      (e: unknown) => e,
    );
    expect(isKeelError(s3) && s3.code).toBe("NOT_IMPLEMENTED");
  });
});
