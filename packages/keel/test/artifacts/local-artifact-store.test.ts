import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { LocalArtifactStore } from "../../src/artifacts/local-artifact-store.js";
import { readAll, tempDirs } from "./temp-dir.js";

const dirs = tempDirs();

async function newStore(): Promise<LocalArtifactStore> {
  return new LocalArtifactStore(join(await dirs.make(), "artifacts"));
}

describe("LocalArtifactStore basics", () => {
  it("creates its root on demand and reports a file:// root URI", async () => {
    const base = await dirs.make();
    const store = new LocalArtifactStore(join(base, "a b", "artifacts"));
    expect(store.rootUri).toBe(pathToFileURL(join(base, "a b", "artifacts")).href);
    expect(store.rootUri).toContain("a%20b");
    expect(await store.list()).toEqual([]);
    expect(await store.stat("")).toEqual({ path: "", isDir: true });
  });

  it("puts buffers, Uint8Arrays and streams and returns the byte count", async () => {
    const store = await newStore();
    expect(await store.put("a.txt", Buffer.from("hello"))).toBe(5);
    expect(await store.put("b.bin", new Uint8Array([1, 2, 3]))).toBe(3);
    expect(await store.put("deep/er/c.txt", Readable.from([Buffer.from("ab"), Buffer.from("cde")]))).toBe(5);
    expect((await readAll(await store.get("a.txt"))).toString()).toBe("hello");
    expect([...(await readAll(await store.get("b.bin")))]).toEqual([1, 2, 3]);
    expect((await readAll(await store.get("deep/er/c.txt"))).toString()).toBe("abcde");
    expect(await readFile(join(store.root, "deep", "er", "c.txt"), "utf8")).toBe("abcde");
  });

  it("overwrites an existing file", async () => {
    const store = await newStore();
    await store.put("x.txt", Buffer.from("old contents"));
    await store.put("x.txt", Buffer.from("new"));
    expect((await readAll(await store.get("x.txt"))).toString()).toBe("new");
  });

  it("accepts the same path spelled with backslashes, dots and double slashes", async () => {
    const store = await newStore();
    await store.put("m\\model.json", Buffer.from("{}"));
    expect((await readAll(await store.get("./m//model.json"))).toString()).toBe("{}");
    expect(await store.stat("m/")).toEqual({ path: "m", isDir: true });
  });

  it("get fails with RESOURCE_DOES_NOT_EXIST for absent files and folders", async () => {
    const store = await newStore();
    await store.put("dir/f.txt", Buffer.from("x"));
    await expect(store.get("nope.txt")).rejects.toMatchObject({
      code: "RESOURCE_DOES_NOT_EXIST",
      message: expect.stringContaining('"nope.txt"'),
    });
    await expect(store.get("dir/f.txt/below")).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
    await expect(store.get("dir")).rejects.toMatchObject({
      code: "RESOURCE_DOES_NOT_EXIST",
      message: expect.stringContaining("folder"),
    });
  });

  it("refuses to write over a folder, the root, or below a file", async () => {
    const store = await newStore();
    await store.put("dir/f.txt", Buffer.from("x"));
    await expect(store.put("dir", Buffer.from("y"))).rejects.toMatchObject({
      code: "INVALID_PARAMETER_VALUE",
      message: expect.stringContaining('"dir" is a folder'),
    });
    await expect(store.put("", Buffer.from("y"))).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE" });
    await expect(store.put("dir/f.txt/g.txt", Buffer.from("y"))).rejects.toMatchObject({
      code: "INVALID_PARAMETER_VALUE",
      message: expect.stringContaining("parent folders is a file"),
    });
    expect(await readdir(`${store.root}.tmp`)).toEqual([]);
  });

  it("rejects a body that is neither bytes nor a stream", async () => {
    const store = await newStore();
    await expect(store.put("x", "text" as unknown as Buffer)).rejects.toMatchObject({
      code: "INVALID_PARAMETER_VALUE",
    });
    expect(await store.stat("x")).toBeNull();
  });
});

describe("LocalArtifactStore listing", () => {
  it("lists direct children sorted, paths relative to the store root, sizes for files", async () => {
    const store = await newStore();
    await store.put("1/run/artifacts/model/model.onnx", Buffer.alloc(10));
    await store.put("1/run/artifacts/model/model.json", Buffer.from("{}"));
    await store.put("1/run/artifacts/b.txt", Buffer.from("bbb"));
    await store.put("1/run/artifacts/A.txt", Buffer.from("a"));
    expect(await store.list("1/run/artifacts")).toEqual([
      { path: "1/run/artifacts/A.txt", isDir: false, fileSize: 1 },
      { path: "1/run/artifacts/b.txt", isDir: false, fileSize: 3 },
      { path: "1/run/artifacts/model", isDir: true },
    ]);
    expect(await store.list("1/run/artifacts/model/")).toEqual([
      { path: "1/run/artifacts/model/model.json", isDir: false, fileSize: 2 },
      { path: "1/run/artifacts/model/model.onnx", isDir: false, fileSize: 10 },
    ]);
    expect(await store.list()).toEqual([{ path: "1", isDir: true }]);
  });

  it("lists nothing for absent paths and files", async () => {
    const store = await newStore();
    await store.put("f.txt", Buffer.from("x"));
    expect(await store.list("absent")).toEqual([]);
    expect(await store.list("f.txt")).toEqual([]);
    expect(await store.list("f.txt/below")).toEqual([]);
  });

  it("stats files, folders and absent paths", async () => {
    const store = await newStore();
    await store.put("d/f.txt", Buffer.from("four"));
    expect(await store.stat("d/f.txt")).toEqual({ path: "d/f.txt", isDir: false, fileSize: 4 });
    expect(await store.stat("d")).toEqual({ path: "d", isDir: true });
    expect(await store.stat("d/missing")).toBeNull();
    expect(await store.stat("d/f.txt/below")).toBeNull();
  });

  it("keeps unicode names intact", async () => {
    const store = await newStore();
    const name = "données/モデル 🚀.txt";
    await store.put(name, Buffer.from("ünï"));
    expect(await store.list("données")).toEqual([
      { path: name, isDir: false, fileSize: Buffer.byteLength("ünï") },
    ]);
    expect((await readAll(await store.get(name))).toString()).toBe("ünï");
    expect(await readdir(join(store.root, "données"))).toEqual(["モデル 🚀.txt"]);
  });
});

describe("LocalArtifactStore delete", () => {
  it("deletes files and folders recursively, silently when absent", async () => {
    const store = await newStore();
    await store.put("a/b/c.txt", Buffer.from("x"));
    await store.put("a/d.txt", Buffer.from("x"));
    await store.put("e.txt", Buffer.from("x"));
    await store.delete("a/d.txt");
    expect(await store.stat("a/d.txt")).toBeNull();
    await store.delete("a");
    expect(await store.list()).toEqual([{ path: "e.txt", isDir: false, fileSize: 1 }]);
    await store.delete("never/there");
    await store.delete("");
    expect(await store.list()).toEqual([]);
    expect(await store.stat("")).toEqual({ path: "", isDir: true });
  });
});

describe("LocalArtifactStore putLocal and download", () => {
  async function makeTree(): Promise<string> {
    const src = join(await dirs.make(), "model");
    await mkdir(join(src, "sub", "deeper"), { recursive: true });
    await writeFile(join(src, "model.json"), '{"a":1}');
    await writeFile(join(src, "sub", "weights.bin"), Buffer.alloc(1000, 7));
    await writeFile(join(src, "sub", "deeper", "é.txt"), "accent");
    return src;
  }

  it("uploads a nested folder's contents under the destination", async () => {
    const store = await newStore();
    const src = await makeTree();
    await store.putLocal(src, "1/run/artifacts/model");
    expect(await store.list("1/run/artifacts/model")).toEqual([
      { path: "1/run/artifacts/model/model.json", isDir: false, fileSize: 7 },
      { path: "1/run/artifacts/model/sub", isDir: true },
    ]);
    expect(await store.list("1/run/artifacts/model/sub")).toEqual([
      { path: "1/run/artifacts/model/sub/deeper", isDir: true },
      { path: "1/run/artifacts/model/sub/weights.bin", isDir: false, fileSize: 1000 },
    ]);
    expect((await readAll(await store.get("1/run/artifacts/model/sub/deeper/é.txt"))).toString()).toBe(
      "accent",
    );
  });

  it("uploads a single file as destPath/<name>, and to the root with ''", async () => {
    const store = await newStore();
    const src = await makeTree();
    await store.putLocal(join(src, "model.json"), "conf");
    await store.putLocal(join(src, "model.json"), "");
    expect(await store.stat("conf/model.json")).toEqual({
      path: "conf/model.json",
      isDir: false,
      fileSize: 7,
    });
    expect(await store.stat("model.json")).toEqual({ path: "model.json", isDir: false, fileSize: 7 });
  });

  it("follows local symlinks but not symlink loops", async () => {
    const store = await newStore();
    const src = await makeTree();
    await symlink(src, join(src, "sub", "loop"));
    await symlink(join(src, "model.json"), join(src, "alias.json"));
    await store.putLocal(src, "m");
    expect(await store.stat("m/alias.json")).toEqual({ path: "m/alias.json", isDir: false, fileSize: 7 });
    expect(await store.stat("m/sub/loop")).toBeNull();
  });

  it("reports a missing local path with RESOURCE_DOES_NOT_EXIST", async () => {
    const store = await newStore();
    await expect(store.putLocal("/definitely/not/here", "x")).rejects.toMatchObject({
      code: "RESOURCE_DOES_NOT_EXIST",
      message: expect.stringContaining("/definitely/not/here"),
    });
  });

  it("downloads a folder tree and a single file back out", async () => {
    const store = await newStore();
    const src = await makeTree();
    await store.putLocal(src, "model");
    const out = join(await dirs.make(), "copy");
    await store.download("model", out);
    expect(await readFile(join(out, "model.json"), "utf8")).toBe('{"a":1}');
    expect(await readFile(join(out, "sub", "weights.bin"))).toEqual(Buffer.alloc(1000, 7));
    expect(await readFile(join(out, "sub", "deeper", "é.txt"), "utf8")).toBe("accent");
    const one = join(await dirs.make(), "nested", "w.bin");
    await store.download("model/sub/weights.bin", one);
    expect(await readFile(one)).toEqual(Buffer.alloc(1000, 7));
    expect(await readdir(join(one, ".."))).toEqual(["w.bin"]);
    await expect(store.download("absent", one)).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
  });
});
