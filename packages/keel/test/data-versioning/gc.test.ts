/** keel data gc: dry run by default; keeps what pointers, store versions and keel.lock refer to. */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { Readable } from "node:stream";
import { afterEach, beforeEach, expect, it } from "vitest";
import { addData } from "../../src/data/versioning/add-data.js";
import { gcCache } from "../../src/data/versioning/gc-cache.js";
import { sha256Hex } from "../../src/data/versioning/hash-file.js";
import { objectKey } from "../../src/data/versioning/object-key.js";
import { keelData, makeProject, type TestProject } from "./project.js";

let p: TestProject;
beforeEach(async () => {
  p = await makeProject();
});
afterEach(async () => {
  await p.close();
});

/** Put raw bytes in the cache as an object nothing refers to. */
async function stray(text: string): Promise<string> {
  const digest = sha256Hex(text);
  await p.ws.cache.receive(objectKey(digest), Readable.from([Buffer.from(text)]), "test");
  return digest;
}

it("lists unreferenced objects in a dry run and deletes them with --force", async () => {
  writeFileSync(p.path("data/a.txt"), "version one");
  const v1 = await addData(p.ws, p.store, "data/a.txt", { cwd: p.root });
  writeFileSync(p.path("data/a.txt"), "version two");
  await addData(p.ws, p.store, "data/a.txt", { cwd: p.root });
  mkdirSync(p.path("data/set"));
  writeFileSync(p.path("data/set/x.txt"), "x");
  const folder = await addData(p.ws, p.store, "data/set", { cwd: p.root });
  const orphan = await stray("nobody points here");
  const locked = await stray("a pipeline output recorded in keel.lock");
  writeFileSync(
    p.path("keel.lock"),
    `schema: "1"\nstages:\n  train:\n    outs:\n      - path: model\n        sha256: ${locked}\n        size: 40\n`,
  );
  mkdirSync(p.path(".keel/tmp"), { recursive: true });
  writeFileSync(p.path(".keel/tmp/999999-0000-1111.tmp"), "left by a dead process");

  const dry = await gcCache(p.ws, p.store);
  expect(dry).toMatchObject({
    dryRun: true,
    removed: [{ key: orphan, size: 18 }],
    removedBytes: 18,
    staleTemps: 1,
  });
  expect(dry.references).toEqual({ pointers: 2, versions: 3, lockDigests: 1 });
  expect(existsSync(p.ws.cache.pathOf(objectKey(orphan)))).toBe(true);
  const cliDry = keelData(p.root, ["gc"]);
  expect(cliDry.code, cliDry.stderr).toBe(0);
  expect(cliDry.stdout).toMatch(/would remove: +1 object\(s\), 18 B/);
  expect(cliDry.stdout).toContain(orphan);

  const forced = await gcCache(p.ws, p.store, { force: true });
  expect(forced).toMatchObject({ dryRun: false, removedBytes: 18, staleTemps: 1 });
  expect(existsSync(p.ws.cache.pathOf(objectKey(orphan)))).toBe(false);
  expect(existsSync(p.path(".keel/tmp/999999-0000-1111.tmp"))).toBe(false);
  // v1 is no longer in any pointer but its store version keeps it; the folder keeps its files.
  for (const key of [
    objectKey(v1.digest),
    objectKey(locked),
    objectKey(folder.digest, true),
    objectKey(sha256Hex("x")),
  ]) {
    expect(existsSync(p.ws.cache.pathOf(key)), key).toBe(true);
  }
  expect((await gcCache(p.ws, p.store)).removed).toEqual([]);
});

it("refuses to run when a pointer is corrupted (its references would be unknown)", async () => {
  writeFileSync(p.path("data/a.txt"), "a");
  await addData(p.ws, p.store, "data/a.txt", { cwd: p.root });
  writeFileSync(p.path("data/a.txt.keel"), "garbage: [");
  await expect(gcCache(p.ws, p.store, { force: true })).rejects.toThrow(/data\/a\.txt\.keel is corrupted/);
  rmSync(p.path("data/a.txt.keel"));
  expect((await gcCache(p.ws, p.store)).removed).toEqual([]);
});
