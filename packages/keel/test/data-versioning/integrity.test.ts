/** Cache integrity: corrupted objects are found by verify and refused by checkout; interrupted adds leave nothing partial. */
import { type ChildProcess, spawn } from "node:child_process";
import { randomFillSync } from "node:crypto";
import {
  chmodSync,
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addData } from "../../src/data/versioning/add-data.js";
import { checkoutData } from "../../src/data/versioning/checkout-data.js";
import { gcCache } from "../../src/data/versioning/gc-cache.js";
import { hashFile } from "../../src/data/versioning/hash-file.js";
import { objectKey } from "../../src/data/versioning/object-key.js";
import { verifyCache } from "../../src/data/versioning/verify-cache.js";
import { CorruptedObjectError } from "../../src/data/versioning/versioning-errors.js";
import { keelData, makeProject, type TestProject } from "./project.js";

const ADD_CHILD = fileURLToPath(new URL("./fixtures/add-data.mjs", import.meta.url));

let p: TestProject;
beforeEach(async () => {
  p = await makeProject();
});
afterEach(async () => {
  await p.close();
});

/** Overwrite one byte of a (read-only) object in place. */
function flipByte(path: string, at: number): void {
  chmodSync(path, 0o644);
  const bytes = readFileSync(path);
  const fd = openSync(path, "r+");
  writeSync(fd, Buffer.from([(bytes[at] ?? 0) ^ 0x01]), 0, 1, at);
  closeSync(fd);
  chmodSync(path, 0o444);
}

describe.each([
  [
    "truncated",
    (path: string) => {
      chmodSync(path, 0o644);
      truncateSync(path, 1000);
    },
  ],
  ["bit-flipped", (path: string) => flipByte(path, 4321)],
])("a %s cache object", (_kind, damage) => {
  it("is reported by verify (exit 1) and refused by checkout (exit 1, nothing restored)", async () => {
    const file = p.path("data/blob.bin");
    writeFileSync(file, randomFillSync(Buffer.alloc(10_000)));
    const { digest } = await addData(p.ws, p.store, file);
    const object = p.ws.cache.pathOf(objectKey(digest));
    damage(object);

    const report = await verifyCache(p.ws);
    expect(report.checked).toBe(1);
    expect(report.corrupted).toEqual([
      expect.objectContaining({
        key: digest,
        path: object,
        reason: expect.stringMatching(/^content hashes to [0-9a-f]{64}$/),
      }),
    ]);
    const cli = keelData(p.root, ["verify"]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`corrupted: ${object}`);
    expect(JSON.parse(keelData(p.root, ["verify", "--json"]).stdout).corrupted).toHaveLength(1);

    rmSync(file);
    const e = await checkoutData(p.ws, p.store, file).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CorruptedObjectError);
    expect((e as Error).message).toContain(`Cache object ${object} is corrupted: expected sha256 ${digest}`);
    expect(existsSync(file)).toBe(false);
    const refused = keelData(p.root, ["checkout", "data/blob.bin"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is corrupted.*Nothing was restored/);
    expect(existsSync(file)).toBe(false);
  });
});

it("verify checks folder manifests too", async () => {
  const dir = p.path("data/set");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(dir);
  writeFileSync(join(dir, "a.txt"), "a");
  const { digest } = await addData(p.ws, p.store, dir);
  const manifest = p.ws.cache.pathOf(objectKey(digest, true));
  flipByte(manifest, 20);
  const report = await verifyCache(p.ws);
  expect(report.corrupted.map((c) => c.reason)).toEqual(["manifest does not match its name"]);
  await expect(checkoutData(p.ws, p.store, dir)).rejects.toBeInstanceOf(CorruptedObjectError);
});

describe("an add killed mid-copy", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  it("leaves no partial object in the cache, and a later add completes", async () => {
    const big = p.path("data/big.bin");
    const size = 384 * 1024 * 1024;
    const block = randomFillSync(Buffer.alloc(4 * 1024 * 1024));
    const fd = openSync(big, "w");
    for (let off = 0; off < size; off += block.length) {
      block.writeUInt32LE(off, 0); // every block differs
      writeSync(fd, block);
    }
    closeSync(fd);
    const { sha256: digest } = await hashFile(big);

    child = spawn(process.execPath, [ADD_CHILD, p.root, "data/big.bin"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<void>((resolve) => child?.on("exit", () => resolve()));
    const tmpDir = join(p.root, ".keel", "tmp");
    // Kill as soon as the temp copy holds some, but not all, of the bytes.
    let partial = 0;
    const deadline = Date.now() + 30_000;
    while (partial === 0 && Date.now() < deadline && child.exitCode === null) {
      for (const name of existsSync(tmpDir) ? readdirSync(tmpDir) : []) {
        const n = statSync(join(tmpDir, name), { throwIfNoEntry: false })?.size ?? 0;
        if (n > 8 * 1024 * 1024 && n < size) partial = n;
      }
      if (partial === 0) await new Promise((r) => setTimeout(r, 2));
    }
    child.kill("SIGKILL");
    await exited;
    expect(partial).toBeGreaterThan(0);
    expect(child.signalCode).toBe("SIGKILL");

    // No object under its name, nothing damaged in the cache, no pointer: only a temp file.
    expect(existsSync(p.ws.cache.pathOf(objectKey(digest)))).toBe(false);
    expect((await verifyCache(p.ws)).corrupted).toEqual([]);
    expect(existsSync(`${big}.keel`)).toBe(false);
    expect(readdirSync(tmpDir).length).toBeGreaterThan(0);

    // gc sweeps the dead process's temp file; the next add completes and verifies.
    const gc = await gcCache(p.ws, p.store, { force: true });
    expect(gc.staleTemps).toBeGreaterThan(0);
    expect(readdirSync(tmpDir)).toEqual([]);
    const added = await addData(p.ws, p.store, big);
    expect(added.digest).toBe(digest);
    expect((await verifyCache(p.ws)).corrupted).toEqual([]);
  }, 120_000);
});
