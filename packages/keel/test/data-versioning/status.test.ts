/** keel data status and the stat cache: unchanged files are never read again. */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addData } from "../../src/data/versioning/add-data.js";
import { dataStatus } from "../../src/data/versioning/data-status.js";
import { hashCounters } from "../../src/data/versioning/hash-file.js";
import { objectKey } from "../../src/data/versioning/object-key.js";
import { age, KEEL_DATA, makeProject, type TestProject } from "./project.js";

let p: TestProject;
beforeEach(async () => {
  p = await makeProject();
});
afterEach(async () => {
  await p.close();
});

/** A folder of `n` small files, tracked by one pointer, with aged mtimes. */
async function trackedFolder(n: number): Promise<string> {
  const dir = p.path("data/rows");
  mkdirSync(join(dir, "part"), { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(join(dir, i % 2 ? "part" : "", `f${i}.txt`), `row ${i}\n`);
  age(dir);
  await addData(p.ws, p.store, dir);
  return dir;
}

describe("stat cache", () => {
  it("re-hashes nothing when nothing changed, or when only atime changed", async () => {
    const dir = await trackedFolder(50);
    hashCounters.reset();
    const report = await dataStatus(p.ws);
    expect(report.entries).toHaveLength(1);
    expect(report.entries[0]).toMatchObject({
      path: "data/rows",
      state: "clean",
      inCache: true,
      isdir: true,
    });
    expect(report.filesHashed).toBe(0);
    expect(hashCounters.files).toBe(0);

    // `touch -a`: the access time moves, the content stamp (inode, size, mtime) does not.
    const file = join(dir, "f0.txt");
    const st = await import("node:fs").then((fs) => fs.statSync(file));
    utimesSync(file, new Date(), st.mtime);
    expect((await dataStatus(p.ws)).filesHashed).toBe(0);
    expect(hashCounters.files).toBe(0);
  });

  it("after `touch` without a content change, reads only the touched file once, then nothing", async () => {
    const dir = await trackedFolder(50);
    const file = join(dir, "part", "f1.txt");
    // A touch a second ago (outside the racy window, as a human's touch before running status).
    const then = new Date(Date.now() - 1000);
    utimesSync(file, then, then);
    hashCounters.reset();
    const first = await dataStatus(p.ws);
    expect(first.entries[0]?.state).toBe("clean");
    expect(first.filesHashed).toBe(1);
    const second = await dataStatus(p.ws);
    expect(second.entries[0]?.state).toBe("clean");
    expect(second.filesHashed).toBe(0);
    expect(hashCounters.files).toBe(1);
  });

  it("detects an edit whose mtime was set back, by its size", async () => {
    const file = p.path("data/a.txt");
    writeFileSync(file, "aaaa");
    age(file);
    await addData(p.ws, p.store, file);
    writeFileSync(file, "bbbbb");
    age(file);
    expect((await dataStatus(p.ws)).entries[0]?.state).toBe("modified");
  });
});

describe("status report", () => {
  it("lists modified, missing, not-in-cache and untracked-but-pointed paths", async () => {
    const dir = await trackedFolder(6);
    writeFileSync(p.path("data/single.csv"), "a,b\n1,2\n");
    writeFileSync(p.path("data/gone.txt"), "bye");
    age(p.path("data"));
    const single = await addData(p.ws, p.store, "data/single.csv", { cwd: p.root });
    await addData(p.ws, p.store, "data/gone.txt", { cwd: p.root });

    writeFileSync(join(dir, "new.txt"), "untracked but pointed");
    writeFileSync(join(dir, "f0.txt"), "changed");
    rmSync(join(dir, "f2.txt"));
    rmSync(p.path("data/gone.txt"));
    await p.ws.cache.remove(objectKey(single.digest));

    const report = await dataStatus(p.ws);
    const byPath = Object.fromEntries(report.entries.map((e) => [e.path, e]));
    expect(Object.keys(byPath).sort()).toEqual(["data/gone.txt", "data/rows", "data/single.csv"]);
    expect(byPath["data/rows"]).toMatchObject({
      state: "modified",
      inCache: true,
      untracked: ["new.txt"],
      changed: ["f0.txt"],
      deleted: ["f2.txt"],
    });
    expect(byPath["data/gone.txt"]).toMatchObject({ state: "missing", inCache: true });
    expect(byPath["data/single.csv"]).toMatchObject({ state: "clean", inCache: false });

    // Limited to one path; an untracked path is an error naming it.
    expect((await dataStatus(p.ws, ["data/single.csv"], p.root)).entries.map((e) => e.path)).toEqual([
      "data/single.csv",
    ]);
    await expect(dataStatus(p.ws, ["src"], p.root)).rejects.toThrow(/'src' is not tracked/);
  });

  it("reports an unreadable pointer instead of failing the whole status", async () => {
    writeFileSync(p.path("data/a.txt"), "a");
    await addData(p.ws, p.store, "data/a.txt", { cwd: p.root });
    writeFileSync(p.path("data/b.txt.keel"), "hash: 12\n");
    const report = await dataStatus(p.ws);
    const bad = report.entries.find((e) => e.pointer === "data/b.txt.keel");
    expect(bad).toMatchObject({ state: "invalid-pointer" });
    expect(bad?.error).toMatch(/data\/b\.txt\.keel is corrupted/);
  });
});

describe("concurrent processes", () => {
  it("share the stat cache safely (four status processes at once)", async () => {
    await trackedFolder(200);
    // Invalidate every entry so all processes hash and write the stat cache at the same time.
    const then = new Date(Date.now() - 5000);
    for (let i = 0; i < 200; i++)
      utimesSync(join(p.path("data/rows"), i % 2 ? "part" : "", `f${i}.txt`), then, then);
    const runs = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
            const child = spawn(process.execPath, [KEEL_DATA, "status", "--json"], { cwd: p.root });
            let out = "";
            let err = "";
            child.stdout.on("data", (d) => (out += d));
            child.stderr.on("data", (d) => (err += d));
            child.on("close", (code) => resolve({ code, out, err }));
          }),
      ),
    );
    for (const r of runs) {
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out).entries[0].state).toBe("clean");
    }
    hashCounters.reset();
    expect((await dataStatus(p.ws)).filesHashed).toBe(0);
    expect(readFileSync(p.path("data/rows/f0.txt"), "utf8")).toBe("row 0\n");
  });
});
