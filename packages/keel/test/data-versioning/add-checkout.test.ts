/** keel data add / checkout on real files and folders in a scaffolded project. */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addData } from "../../src/data/versioning/add-data.js";
import { checkoutData } from "../../src/data/versioning/checkout-data.js";
import { sha256Hex } from "../../src/data/versioning/hash-file.js";
import { objectKey } from "../../src/data/versioning/object-key.js";
import { parsePointer } from "../../src/data/versioning/pointer-file.js";
import { PointerFileCorruptedError } from "../../src/data/versioning/versioning-errors.js";
import { isKeelError } from "../../src/errors.js";
import { age, makeProject, type TestProject, WEATHER_CSV } from "./project.js";

let p: TestProject;
beforeEach(async () => {
  p = await makeProject();
});
afterEach(async () => {
  await p.close();
});

const read = (path: string) => readFileSync(path);

describe("add then checkout of a file", () => {
  it("records versions, and checkout of v1 restores identical bytes", async () => {
    const csv = p.path("data/seattle-weather.csv");
    copyFileSync(WEATHER_CSV, csv);
    age(csv);
    const v1Bytes = read(csv);

    const first = await addData(p.ws, p.store, "data/seattle-weather.csv", { cwd: p.root });
    expect(first).toMatchObject({
      name: "seattle-weather",
      version: 1,
      created: true,
      nfiles: 1,
      isdir: false,
    });
    expect(first.digest).toBe(sha256Hex(v1Bytes));
    expect(first.size).toBe(v1Bytes.length);

    // Pointer: YAML with hash {algo, value} apart from meta, next to the data.
    const pointer = parsePointer(readFileSync(`${csv}.keel`, "utf8"), "x");
    expect(pointer).toEqual({
      name: "seattle-weather",
      version: 1,
      path: "seattle-weather.csv",
      hash: { algo: "sha256", value: first.digest },
      meta: { size: v1Bytes.length, nfiles: 1, isdir: false },
    });
    // Cache object: read-only, same bytes, content-addressed path.
    const object = p.ws.cache.pathOf(objectKey(first.digest));
    expect(object).toBe(
      join(p.root, ".keel", "cache", "sha256", first.digest.slice(0, 2), first.digest.slice(2)),
    );
    expect(read(object).equals(v1Bytes)).toBe(true);
    expect(statSync(object).mode & 0o777).toBe(0o444);
    // The data path is gitignored, once.
    const gitignore = () => readFileSync(p.path(".gitignore"), "utf8");
    expect(gitignore().split("\n")).toContain("/data/seattle-weather.csv");

    // The store has the version with schema and profile summary.
    const stored = await p.store.getDatasetVersion("seattle-weather", 1);
    expect(stored).toMatchObject({
      digest: first.digest,
      size: v1Bytes.length,
      fileCount: 1,
      path: "data/seattle-weather.csv",
    });
    expect(JSON.parse(stored.schema ?? "{}").columns.map((c: { name: string }) => c.name)).toEqual([
      "date",
      "precipitation",
      "temp_max",
      "temp_min",
      "wind",
      "weather",
    ]);
    expect(JSON.parse(stored.profile ?? "{}").rowCount).toBe(1461);

    // Adding unchanged content is idempotent: same version, nothing read or copied.
    const again = await addData(p.ws, p.store, "data/seattle-weather.csv", { cwd: p.root });
    expect(again).toMatchObject({ version: 1, created: false, filesRead: 0, objectsCopied: 0 });
    expect(gitignore().match(/\/data\/seattle-weather\.csv/g)).toHaveLength(1);

    // Modify, add again: version 2.
    const v2Bytes = Buffer.from(
      v1Bytes
        .toString("utf8")
        .replace("2012-01-01,0.0,12.8,5.0,4.7,drizzle", "2012-01-01,9.9,12.8,5.0,4.7,rain"),
    );
    expect(v2Bytes.equals(v1Bytes)).toBe(false);
    writeFileSync(csv, v2Bytes);
    const second = await addData(p.ws, p.store, "data/seattle-weather.csv", { cwd: p.root });
    expect(second).toMatchObject({ name: "seattle-weather", version: 2, created: true, objectsCopied: 1 });
    expect((await p.store.listDatasetVersions("seattle-weather")).map((v) => v.version)).toEqual([1, 2]);

    // Checkout v1: identical bytes, pointer rewritten to v1; then back to the pointer's v2 by version.
    const back = await checkoutData(p.ws, p.store, "data/seattle-weather.csv", { version: 1, cwd: p.root });
    expect(back).toMatchObject({ version: 1, restored: 1, unchanged: 0 });
    expect(read(csv).equals(v1Bytes)).toBe(true);
    expect(parsePointer(readFileSync(`${csv}.keel`, "utf8"), "x").version).toBe(1);
    // The restored file is an ordinary, writable copy (or reflink), never a link into the cache.
    expect(statSync(csv).mode & 0o200).toBe(0o200);
    expect(statSync(csv).ino).not.toBe(statSync(object).ino);

    const forward = await checkoutData(p.ws, p.store, "seattle-weather@2", { cwd: p.root });
    expect(forward).toMatchObject({ version: 2, restored: 1 });
    expect(read(csv).equals(v2Bytes)).toBe(true);
    // Checking out what is already there writes nothing.
    expect(await checkoutData(p.ws, p.store, "data/seattle-weather.csv", { cwd: p.root })).toMatchObject({
      restored: 0,
      unchanged: 1,
    });
  });

  it("restores a deleted file from the cache", async () => {
    const file = p.path("data/notes.txt");
    writeFileSync(file, "hello\n");
    await addData(p.ws, p.store, file);
    rmSync(file);
    const r = await checkoutData(p.ws, p.store, file);
    expect(r.restored).toBe(1);
    expect(readFileSync(file, "utf8")).toBe("hello\n");
  });

  it("refuses to overwrite changes that are not in the cache, unless forced", async () => {
    const file = p.path("data/a.txt");
    writeFileSync(file, "one\n");
    await addData(p.ws, p.store, file);
    writeFileSync(file, "two\n");
    await addData(p.ws, p.store, file);
    writeFileSync(file, "unsaved work\n");
    const refused = await checkoutData(p.ws, p.store, file, { version: 1 }).catch((e: unknown) => e);
    expect(isKeelError(refused) && refused.code).toBe("INVALID_STATE");
    expect(String((refused as Error).message)).toMatch(/not saved in the cache: data\/a\.txt\. .*--force/);
    expect(readFileSync(file, "utf8")).toBe("unsaved work\n");
    await checkoutData(p.ws, p.store, file, { version: 1, force: true });
    expect(readFileSync(file, "utf8")).toBe("one\n");
  });

  it("hard-links read-only files in `cache: {link: hardlink}` mode, so edits cannot reach the cache", async () => {
    writeFileSync(
      p.path("keel.yaml"),
      `${readFileSync(p.path("keel.yaml"), "utf8")}cache:\n  link: hardlink\n`,
    );
    const ws = p.reload();
    expect(ws.linkMode).toBe("hardlink");
    const file = p.path("data/big.bin");
    const bytes = Buffer.alloc(100_000, 7);
    writeFileSync(file, bytes);
    const added = await addData(ws, p.store, file);
    rmSync(file);
    const r = await checkoutData(ws, p.store, file);
    const object = ws.cache.pathOf(objectKey(added.digest));
    // A reflink-capable filesystem clones instead (also safe); otherwise the file is the object, read-only.
    if (r.methods.hardlink === 1) {
      expect(statSync(file).ino).toBe(statSync(object).ino);
      expect(statSync(file).mode & 0o222).toBe(0);
      if (process.getuid?.() !== 0)
        await expect(writeFile(file, "edit")).rejects.toMatchObject({ code: "EACCES" });
    } else {
      expect(r.methods.reflink).toBe(1);
    }
    expect(read(object).equals(bytes)).toBe(true);
  });
});

describe("folder datasets", () => {
  it("versions a folder by its manifest and checks out an old version exactly", async () => {
    const dir = p.path("data/images");
    mkdirSync(join(dir, "cats"), { recursive: true });
    writeFileSync(join(dir, "cats", "1.txt"), "cat one");
    writeFileSync(join(dir, "cats", "2.txt"), "cat two");
    writeFileSync(join(dir, "dog.txt"), "dog");
    writeFileSync(join(dir, "empty.txt"), "");
    age(dir);
    const v1 = await addData(p.ws, p.store, "data/images", { cwd: p.root });
    expect(v1).toMatchObject({ name: "images", version: 1, nfiles: 4, isdir: true, size: 17 });
    // The folder digest is the sha256 of the sorted manifest lines.
    const manifest = [
      `cats/1.txt\t${sha256Hex("cat one")}\t7\n`,
      `cats/2.txt\t${sha256Hex("cat two")}\t7\n`,
      `dog.txt\t${sha256Hex("dog")}\t3\n`,
      `empty.txt\t${sha256Hex("")}\t0\n`,
    ].join("");
    expect(v1.digest).toBe(sha256Hex(manifest));
    expect(existsSync(p.ws.cache.pathOf(objectKey(v1.digest, true)))).toBe(true);
    expect(await p.ws.cache.readManifest(v1.digest)).toHaveLength(4);

    // Change one file, delete one, add one.
    writeFileSync(join(dir, "cats", "1.txt"), "cat ONE");
    rmSync(join(dir, "dog.txt"));
    mkdirSync(join(dir, "birds"));
    writeFileSync(join(dir, "birds", "b.txt"), "tweet");
    const v2 = await addData(p.ws, p.store, "data/images", { cwd: p.root });
    expect(v2).toMatchObject({ version: 2, nfiles: 4, filesRead: 2 });

    const r = await checkoutData(p.ws, p.store, "data/images", { version: 1, cwd: p.root });
    expect(r).toMatchObject({ isdir: true, restored: 2, removed: 1, unchanged: 2 });
    expect(readFileSync(join(dir, "cats", "1.txt"), "utf8")).toBe("cat one");
    expect(readFileSync(join(dir, "dog.txt"), "utf8")).toBe("dog");
    expect(existsSync(join(dir, "birds"))).toBe(false);
    expect(readFileSync(join(dir, "empty.txt"), "utf8")).toBe("");
    // A file inside the tracked folder belongs to the folder's pointer.
    await expect(addData(p.ws, p.store, "data/images/dog.txt", { cwd: p.root })).rejects.toThrow(
      /data\/images\/dog\.txt is inside data\/images, which is tracked as a whole/,
    );
  });
});

describe("errors", () => {
  it("names a missing path", async () => {
    const e = await addData(p.ws, p.store, "data/nope.csv", { cwd: p.root }).catch((x: unknown) => x);
    expect(isKeelError(e) && e.code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect((e as Error).message).toMatch(/Data path 'data\/nope\.csv' does not exist/);
  });

  it("refuses paths outside the project and inside .keel", async () => {
    await expect(addData(p.ws, p.store, "../outside.csv", { cwd: p.root })).rejects.toThrow(
      /outside the project/,
    );
    await expect(addData(p.ws, p.store, ".keel/keel.db", { cwd: p.root })).rejects.toThrow(/inside \.keel\//);
  });

  it("rejects bad references: malformed version and unknown version", async () => {
    writeFileSync(p.path("data/a.txt"), "a");
    await addData(p.ws, p.store, "data/a.txt", { cwd: p.root });
    const bad = await checkoutData(p.ws, p.store, "a@x", { cwd: p.root }).catch((e: unknown) => e);
    expect(isKeelError(bad) && bad.code).toBe("INVALID_PARAMETER_VALUE");
    expect((bad as Error).message).toMatch(
      /Invalid dataset reference 'a@x'.*version number >= 1 or 'latest'/,
    );
    const unknown = await checkoutData(p.ws, p.store, "a@99", { cwd: p.root }).catch((e: unknown) => e);
    expect(isKeelError(unknown) && unknown.code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect((unknown as Error).message).toMatch(/a@99 not found.*latest is a@1/);
    const byOption = await checkoutData(p.ws, p.store, "data/a.txt", { version: 99, cwd: p.root }).catch(
      (e: unknown) => e,
    );
    expect((byOption as Error).message).toMatch(/a@99 not found/);
  });

  it("raises a distinct error naming a corrupted pointer, and add repairs it", async () => {
    writeFileSync(p.path("data/a.txt"), "a");
    await addData(p.ws, p.store, "data/a.txt", { cwd: p.root });
    writeFileSync(
      p.path("data/a.txt.keel"),
      "name: a\nversion: 1\npath: a.txt\nhash:\n  algo: md5\n  value: xyz\n",
    );
    const e = await checkoutData(p.ws, p.store, "data/a.txt", { cwd: p.root }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PointerFileCorruptedError);
    expect((e as PointerFileCorruptedError).file).toBe(p.path("data/a.txt.keel"));
    expect((e as Error).message).toMatch(/data\/a\.txt\.keel is corrupted: field hash\.algo/);
    writeFileSync(p.path("data/a.txt.keel"), "{not yaml: [");
    await expect(checkoutData(p.ws, p.store, "data/a.txt", { cwd: p.root })).rejects.toThrow(
      /is corrupted: not valid YAML/,
    );
    // Adding again rewrites the pointer (the name comes from the file name then).
    const again = await addData(p.ws, p.store, "data/a.txt", { cwd: p.root });
    expect(again).toMatchObject({ name: "a", version: 1, created: false });
  });

  it("refuses symlinks", async () => {
    const { symlinkSync } = await import("node:fs");
    writeFileSync(p.path("data/real.txt"), "x");
    symlinkSync(p.path("data/real.txt"), p.path("data/link.txt"));
    await expect(addData(p.ws, p.store, "data/link.txt", { cwd: p.root })).rejects.toThrow(/is a symlink/);
  });
});
