import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { LocalArtifactStore } from "../../src/artifacts/local-artifact-store.js";
import { readAll, tempDirs } from "./temp-dir.js";

const dirs = tempDirs();
const REJECTED = { code: "INVALID_PARAMETER_VALUE" };

/** A store at <base>/store and a folder <base>/outside holding secret.txt. */
async function setup(): Promise<{ store: LocalArtifactStore; base: string; outside: string }> {
  const base = await dirs.make();
  const outside = join(base, "outside");
  await mkdir(outside);
  await writeFile(join(outside, "secret.txt"), "top secret");
  const store = new LocalArtifactStore(join(base, "store"));
  await store.put("ok/inside.txt", Buffer.from("fine"));
  return { store, base, outside };
}

describe("LocalArtifactStore path traversal", () => {
  const attempts = ["../x", "a/../../x", "/etc/passwd", "..\\x", "a\\..\\..\\x", "C:\\x", "x\0y"];

  it.each(attempts)("rejects %j on every operation and writes nothing outside", async (p) => {
    const { store, base } = await setup();
    await expect(store.put(p, Buffer.from("evil"))).rejects.toMatchObject(REJECTED);
    await expect(store.put(p, Readable.from([Buffer.from("evil")]))).rejects.toMatchObject(REJECTED);
    await expect(store.get(p)).rejects.toMatchObject(REJECTED);
    await expect(store.stat(p)).rejects.toMatchObject(REJECTED);
    await expect(store.list(p)).rejects.toMatchObject(REJECTED);
    await expect(store.delete(p)).rejects.toMatchObject(REJECTED);
    await expect(store.download(p, join(base, "dl"))).rejects.toMatchObject(REJECTED);
    await expect(store.putLocal(join(base, "outside"), p)).rejects.toMatchObject(REJECTED);
    expect((await readdir(base)).sort()).toEqual(["outside", "store", "store.tmp"]);
    expect(await readdir(`${store.root}.tmp`)).toEqual([]);
  });

  it("treats a still-encoded %2e%2e as a literal name", async () => {
    const { store } = await setup();
    await store.put("a/%2e%2e/x", Buffer.from("literal"));
    expect(await readdir(join(store.root, "a"))).toEqual(["%2e%2e"]);
    expect((await readAll(await store.get("a/%2e%2e/x"))).toString()).toBe("literal");
  });
});

describe("LocalArtifactStore symlinks", () => {
  it("never follows a folder symlink that points outside the store", async () => {
    const { store, outside } = await setup();
    await symlink(outside, join(store.root, "evil"));
    await expect(store.get("evil/secret.txt")).rejects.toMatchObject({
      ...REJECTED,
      message: expect.stringContaining('"evil/secret.txt"'),
    });
    await expect(store.put("evil/new.txt", Buffer.from("x"))).rejects.toMatchObject(REJECTED);
    await expect(store.put("evil/sub/new.txt", Readable.from(["x"]))).rejects.toMatchObject(REJECTED);
    await expect(store.list("evil")).rejects.toMatchObject(REJECTED);
    await expect(store.stat("evil")).rejects.toMatchObject(REJECTED);
    await expect(store.delete("evil/secret.txt")).rejects.toMatchObject(REJECTED);
    await expect(store.delete("evil")).rejects.toMatchObject(REJECTED);
    expect((await readdir(outside)).sort()).toEqual(["secret.txt"]);
    expect(await readFile(join(outside, "secret.txt"), "utf8")).toBe("top secret");
  });

  it("never follows a file symlink that points outside the store", async () => {
    const { store, outside } = await setup();
    await symlink(join(outside, "secret.txt"), join(store.root, "ok", "leak.txt"));
    await expect(store.get("ok/leak.txt")).rejects.toMatchObject(REJECTED);
    await expect(store.put("ok/leak.txt", Buffer.from("overwritten"))).rejects.toMatchObject(REJECTED);
    await expect(store.delete("ok/leak.txt")).rejects.toMatchObject(REJECTED);
    await expect(store.download("ok", join(outside, "..", "dl"))).resolves.toBeUndefined();
    expect(await readdir(join(outside, "..", "dl"))).toEqual(["inside.txt"]);
    expect(await readFile(join(outside, "secret.txt"), "utf8")).toBe("top secret");
  });

  it("refuses to write through a dangling symlink", async () => {
    const { store, outside } = await setup();
    await symlink(join(outside, "planted.txt"), join(store.root, "dangling"));
    await expect(store.put("dangling", Buffer.from("x"))).rejects.toMatchObject({
      ...REJECTED,
      message: expect.stringContaining("points nowhere"),
    });
    await expect(store.put("dangling/below.txt", Buffer.from("x"))).rejects.toMatchObject(REJECTED);
    expect(await readdir(outside)).toEqual(["secret.txt"]);
  });

  it("leaves outside symlinks out of listings, and deleting the root removes only the links", async () => {
    const { store, outside } = await setup();
    await symlink(outside, join(store.root, "evil"));
    await symlink(join(outside, "secret.txt"), join(store.root, "leak.txt"));
    await symlink(join(outside, "gone"), join(store.root, "dangling"));
    await symlink(join(store.root, "ok"), join(store.root, "alias"));
    expect(await store.list()).toEqual([
      { path: "alias", isDir: true },
      { path: "ok", isDir: true },
    ]);
    await store.delete("");
    expect(await readdir(store.root)).toEqual([]);
    expect(await readFile(join(outside, "secret.txt"), "utf8")).toBe("top secret");
  });

  it("follows symlinks that stay inside the store", async () => {
    const { store } = await setup();
    await symlink(join(store.root, "ok"), join(store.root, "alias"));
    expect((await readAll(await store.get("alias/inside.txt"))).toString()).toBe("fine");
    await store.put("alias/more.txt", Buffer.from("more"));
    expect((await readAll(await store.get("ok/more.txt"))).toString()).toBe("more");
    await store.delete("alias");
    expect(await store.stat("ok/more.txt")).toEqual({ path: "ok/more.txt", isDir: false, fileSize: 4 });
  });

  it("works when the root itself is reached through a symlink", async () => {
    const base = await dirs.make();
    await mkdir(join(base, "real"));
    await symlink(join(base, "real"), join(base, "link"));
    const store = new LocalArtifactStore(join(base, "link"));
    await store.put("a/b.txt", Buffer.from("b"));
    expect(await store.list("a")).toEqual([{ path: "a/b.txt", isDir: false, fileSize: 1 }]);
    expect(await readFile(join(base, "real", "a", "b.txt"), "utf8")).toBe("b");
  });
});
