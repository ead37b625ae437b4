// bench/data/hash.mjs: sha256 of a 1 GiB file through Keel's hasher (what `keel data add` and
// `status` use) beside coreutils `sha256sum` on the same file, in one run, alternating who goes
// first, median of 3. Both read from the page cache after a warm-up read. Target: Keel >= 0.9x.
import { execFileSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashFile } from "../../packages/keel/dist/data/versioning/hash-file.js";

const SIZE = Number(process.env.BENCH_HASH_BYTES ?? 1024 ** 3);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const TARGET = 0.9;
const tmp = mkdtempSync(join(tmpdir(), "keel-bench-hash-"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mbps = (ms) => SIZE / 1e6 / (ms / 1000);

try {
  // The input: 1 GiB of random blocks (each 4 MiB block made distinct).
  const file = join(tmp, "data.bin");
  const block = randomFillSync(Buffer.alloc(4 * 1024 * 1024));
  const fd = openSync(file, "w");
  for (let off = 0; off < SIZE; off += block.length) {
    block.writeUInt32LE(off >>> 0, 0);
    writeSync(fd, block, 0, Math.min(block.length, SIZE - off));
  }
  closeSync(fd);
  const sha256sum = () => execFileSync("sha256sum", [file], { encoding: "utf8" }).split(" ")[0];
  sha256sum(); // warm the page cache so both read memory, not the disk

  const runners = {
    keel: async () => (await hashFile(file)).sha256,
    sha256sum: async () => sha256sum(),
  };
  const times = { keel: [], sha256sum: [] };
  const digests = new Set();
  for (let rep = 0; rep < REPS; rep++) {
    for (const who of rep % 2 === 0 ? ["keel", "sha256sum"] : ["sha256sum", "keel"]) {
      const started = performance.now();
      digests.add(await runners[who]());
      times[who].push(performance.now() - started);
    }
  }
  if (digests.size !== 1) throw new Error(`digests differ: ${[...digests].join(" ")}`);
  const keel = median(times.keel);
  const peer = median(times.sha256sum);
  const ratio = mbps(keel) / mbps(peer);
  console.log(
    `sha256 of a ${(SIZE / 1024 ** 3).toFixed(2)} GiB file, median of ${REPS} (MB/s = 10^6 bytes/s)`,
  );
  console.table([
    { tool: "keel hashFile", "median ms": Math.round(keel), "MB/s": Math.round(mbps(keel)) },
    { tool: "sha256sum", "median ms": Math.round(peer), "MB/s": Math.round(mbps(peer)) },
  ]);
  console.log(
    `throughput ratio keel/sha256sum: ${ratio.toFixed(2)}x (target >= ${TARGET}x) ${ratio >= TARGET ? "PASS" : "FAIL"}`,
  );
  if (ratio < TARGET) process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
