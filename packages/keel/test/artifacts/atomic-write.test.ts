import { createHash } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { LocalArtifactStore } from "../../src/artifacts/local-artifact-store.js";
import { readAll, tempDirs } from "./temp-dir.js";

const dirs = tempDirs();

/** `count` chunks of `size` deterministic bytes, with an optional pause before each. */
function chunks(count: number, size: number, pauseMs = 0, onRead?: (produced: number) => void): Readable {
  let i = 0;
  return new Readable({
    highWaterMark: size,
    read() {
      onRead?.(i * size);
      if (i === count) {
        this.push(null);
        return;
      }
      const chunk = Buffer.alloc(size, i % 251);
      i += 1;
      if (pauseMs === 0) this.push(chunk);
      else setTimeout(() => this.push(chunk), pauseMs);
    },
  });
}

function sha256Of(count: number, size: number): string {
  const hash = createHash("sha256");
  for (let i = 0; i < count; i++) hash.update(Buffer.alloc(size, i % 251));
  return hash.digest("hex");
}

describe("LocalArtifactStore atomic writes", () => {
  it("never shows a partial file while a slow stream is written", { timeout: 20_000 }, async () => {
    const store = new LocalArtifactStore(join(await dirs.make(), "store"));
    const target = join(store.root, "model", "big.bin");
    const writing = store.put("model/big.bin", chunks(40, 64 * 1024, 10));
    let done = false;
    const finished = writing.then((n) => {
      done = true;
      return n;
    });
    let checks = 0;
    while (!done) {
      // Whatever a reader sees at the final name holds every byte: the rename comes after the last write.
      if (existsSync(target)) expect(statSync(target).size).toBe(40 * 64 * 1024);
      try {
        expect((await readAll(await store.get("model/big.bin"))).length).toBe(40 * 64 * 1024);
      } catch (e) {
        expect(e).toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
      }
      checks += 1;
      await sleep(5);
    }
    expect(await finished).toBe(40 * 64 * 1024);
    expect(checks).toBeGreaterThan(20);
    expect(statSync(target).size).toBe(40 * 64 * 1024);
    expect(await readdir(`${store.root}.tmp`)).toEqual([]);
  });

  it("readers of an overwritten file see the old or the new bytes, whole", { timeout: 20_000 }, async () => {
    const store = new LocalArtifactStore(join(await dirs.make(), "store"));
    await store.put("f.bin", Buffer.alloc(100_000, 1));
    const writing = store.put("f.bin", chunks(20, 50_000, 5));
    let done = false;
    void writing.then(() => {
      done = true;
    });
    const seen = new Set<number>();
    while (!done) {
      const bytes = await readAll(await store.get("f.bin"));
      seen.add(bytes.length);
      await sleep(5);
    }
    await writing;
    for (const size of seen) expect([100_000, 1_000_000]).toContain(size);
    expect((await readFile(join(store.root, "f.bin"))).length).toBe(1_000_000);
  });

  it("leaves no target and no temp file when the stream fails midway", { timeout: 20_000 }, async () => {
    const store = new LocalArtifactStore(join(await dirs.make(), "store"));
    let sent = 0;
    const failing = new Readable({
      read() {
        sent += 1;
        if (sent > 5) this.destroy(new Error("connection reset by peer"));
        else setTimeout(() => this.push(Buffer.alloc(32 * 1024, 9)), 2);
      },
    });
    await expect(store.put("half.bin", failing)).rejects.toThrow("connection reset by peer");
    expect(existsSync(join(store.root, "half.bin"))).toBe(false);
    expect(await readdir(`${store.root}.tmp`)).toEqual([]);
    expect(await store.list()).toEqual([]);
  });

  it("keeps the old file when an overwrite fails midway", { timeout: 20_000 }, async () => {
    const store = new LocalArtifactStore(join(await dirs.make(), "store"));
    await store.put("keep.txt", Buffer.from("original"));
    const failing = new Readable({
      read() {
        this.push(Buffer.from("partial"));
        setImmediate(() => this.destroy(new Error("client went away")));
      },
    });
    await expect(store.put("keep.txt", failing)).rejects.toThrow("client went away");
    expect((await readAll(await store.get("keep.txt"))).toString()).toBe("original");
    expect(await readdir(`${store.root}.tmp`)).toEqual([]);
  });

  it("concurrent writers to one path leave one of them, whole", { timeout: 20_000 }, async () => {
    const store = new LocalArtifactStore(join(await dirs.make(), "store"));
    await Promise.all([
      store.put("same.bin", chunks(30, 10_000, 1)),
      store.put("same.bin", Buffer.alloc(123_456, 2)),
      store.put("same.bin", chunks(10, 7_000, 2)),
    ]);
    const size = (await store.stat("same.bin"))?.fileSize;
    expect([300_000, 123_456, 70_000]).toContain(size);
    expect(await readdir(`${store.root}.tmp`)).toEqual([]);
  });

  it("streams a 50 MB file in and out without holding it whole", { timeout: 60_000 }, async () => {
    const store = new LocalArtifactStore(join(await dirs.make(), "store"));
    const tmpDir = `${store.root}.tmp`;
    const chunk = 64 * 1024;
    const count = 800; // 50 MiB
    let maxAhead = 0;
    // Each time the source is asked for more, compare what it produced with what reached disk:
    // with back-pressure the gap stays a few chunks, not the whole file.
    const onRead = (produced: number) => {
      const files = existsSync(tmpDir) ? readdirSync(tmpDir) : [];
      const onDisk = files.length === 1 ? statSync(join(tmpDir, files[0]!)).size : 0;
      maxAhead = Math.max(maxAhead, produced - onDisk);
    };
    expect(await store.put("big/data.bin", chunks(count, chunk, 0, onRead))).toBe(count * chunk);
    expect(maxAhead).toBeLessThan(4 * 1024 * 1024);

    const hash = createHash("sha256");
    let biggest = 0;
    let total = 0;
    for await (const piece of await store.get("big/data.bin")) {
      const buf = piece as Buffer;
      hash.update(buf);
      biggest = Math.max(biggest, buf.length);
      total += buf.length;
    }
    expect(total).toBe(count * chunk);
    expect(biggest).toBeLessThanOrEqual(1024 * 1024);
    expect(hash.digest("hex")).toBe(sha256Of(count, chunk));
  });
});
