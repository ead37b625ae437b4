import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileWat, generatedPath, WAT_SOURCES, wasmModuleText } from "../../../../scripts/build-wasm.mjs";
import { Rng } from "../../src/learn/core/random.js";
import { binaryLogLoss } from "../../src/learn/ensemble/boosting-loss.js";
import { boostKernels, SLOT_BYTES } from "../../src/learn/ensemble/wasm/boost-kernels.js";
import { SharedArena } from "../../src/learn/ensemble/wasm/shared-arena.js";

const repo = join(__dirname, "..", "..", "..", "..");

describe("boosting WebAssembly kernels", () => {
  it("the committed compiled module matches its .wat source", async () => {
    for (const source of WAT_SOURCES) {
      const bytes = await compileWat(join(repo, source));
      const committed = readFileSync(join(repo, generatedPath(source)), "utf8");
      expect(committed, `${generatedPath(source)} is stale: run npm run build:wasm`).toBe(
        wasmModuleText(source, bytes),
      );
    }
  });

  it("computes log1p on [0, 1] within 4 ulp of Math.log1p", () => {
    const k = boostKernels(new SharedArena().memory);
    const rng = new Rng(5);
    const ts = [
      0,
      1,
      5e-324,
      1e-300,
      1e-17,
      1e-9,
      0.25,
      Math.SQRT2 - 1,
      Math.SQRT2 - 1 + 1e-16,
      0.5,
      0.999999,
    ];
    for (let i = 0; i < 100_000; i++) ts.push(i % 2 ? rng.next() : Math.exp(-rng.next() * 700));
    let worst = 0;
    for (const t of ts) {
      const want = Math.log1p(t);
      const ulp = Math.max(Math.abs(want) * Number.EPSILON, Number.MIN_VALUE);
      worst = Math.max(worst, Math.abs(k.log1p01(t) - want) / ulp);
    }
    expect(worst).toBeLessThanOrEqual(4);
    expect(k.log1p01(0)).toBe(0);
  });

  it("sums the binary log loss like the JavaScript loss, for odd and even row counts", () => {
    const arena = new SharedArena();
    const k = boostKernels(arena.memory);
    const rng = new Rng(8);
    const n = 2001;
    const raw = arena.take(Float64Array, n);
    const y = arena.take(Float64Array, n);
    for (let i = 0; i < n; i++) {
      raw[i] = i === 0 ? 800 : i === 1 ? -800 : i === 2 ? 0 : (rng.next() - 0.5) * 40;
      y[i] = rng.next() < 0.3 ? 1 : 0;
    }
    const js = binaryLogLoss();
    for (const m of [n, n - 1, 1, 0]) {
      const rows = arena.take(Int32Array, m);
      for (let i = 0; i < m; i++) rows[i] = (i * 7) % n;
      const sum = k.binaryLoss(raw.byteOffset, y.byteOffset, rows.byteOffset, 0, m);
      const want = m === 0 ? 0 : js.loss(raw, y, rows) * m;
      expect(Math.abs(sum - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
    }
  });

  it("zero clears exactly the bytes it is given", () => {
    const arena = new SharedArena();
    const k = boostKernels(arena.memory);
    const a = arena.take(Float64Array, 100);
    a.fill(7);
    k.zero(a.byteOffset + 8 * 10, 8 * 50);
    expect(Array.from(a.subarray(0, 10))).toEqual(Array(10).fill(7));
    expect(Array.from(a.subarray(10, 60))).toEqual(Array(50).fill(0));
    expect(Array.from(a.subarray(60))).toEqual(Array(40).fill(7));
  });

  it("computes e^t within 1e-14 of Math.exp, clamped to [-708, 708]", () => {
    const k = boostKernels(new SharedArena().memory);
    const rng = new Rng(3);
    let worst = 0;
    for (let i = 0; i < 100_000; i++) {
      const t = (rng.next() - 0.5) * 1400;
      worst = Math.max(worst, Math.abs(k.exp(t) - Math.exp(t)) / Math.exp(t));
    }
    for (const t of [0, -0, 1e-300, Math.LN2 / 2, -Math.LN2 / 2, 1, -1, 700, -700]) {
      worst = Math.max(worst, Math.abs(k.exp(t) - Math.exp(t)) / Math.exp(t));
    }
    expect(worst).toBeLessThan(1e-14);
    expect(k.exp(0)).toBe(1);
    expect(k.exp(1000)).toBe(k.exp(708));
    expect(k.exp(-1000)).toBe(k.exp(-708));
    expect(k.exp(-708)).toBeGreaterThan(0);
  });

  it("builds the same histograms as a plain loop, over any subset of rows", () => {
    const n = 5_001;
    const p = 7;
    const nBins = 256;
    const arena = new SharedArena();
    const k = boostKernels(arena.memory);
    const rng = new Rng(9);
    const bins = arena.take(Uint8Array, n * p);
    for (let i = 0; i < n * p; i++) bins[i] = rng.int(nBins);
    const gh = arena.take(Float64Array, 2 * n);
    for (let i = 0; i < 2 * n; i++) gh[i] = rng.next() - 0.3;
    const picked = Array.from({ length: n }, (_, i) => i).filter(() => rng.next() < 0.4);
    const rows = arena.take(Int32Array, picked.length + 10);
    rows.set(picked, 10);
    const slot = SLOT_BYTES / 8;
    const hist = arena.take(Float64Array, p * nBins * slot);
    k.histogram(
      bins.byteOffset,
      p,
      nBins * SLOT_BYTES,
      rows.byteOffset,
      10,
      10 + picked.length,
      gh.byteOffset,
      hist.byteOffset,
    );
    const expected = new Float64Array(hist.length);
    for (const r of picked) {
      for (let j = 0; j < p; j++) {
        const at = (j * nBins + bins[r * p + j]!) * slot;
        expected[at]! += gh[2 * r]!;
        expected[at + 1]! += gh[2 * r + 1]!;
        expected[at + 2]! += 1;
      }
    }
    expect(hist).toEqual(expected);
    // An empty range adds nothing.
    k.histogram(
      bins.byteOffset,
      p,
      nBins * SLOT_BYTES,
      rows.byteOffset,
      12,
      12,
      gh.byteOffset,
      hist.byteOffset,
    );
    expect(hist).toEqual(expected);
  });

  it("computes binary log-loss gradients like the JavaScript loss, for odd and even row counts", () => {
    for (const n of [1, 2, 999, 1000]) {
      const arena = new SharedArena();
      const k = boostKernels(arena.memory);
      const rng = new Rng(n);
      const raw = arena.take(Float64Array, n);
      const y = arena.take(Float64Array, n);
      for (let i = 0; i < n; i++) {
        raw[i] = (rng.next() - 0.5) * (i % 10 === 0 ? 2000 : 12);
        y[i] = rng.int(2);
      }
      const rows = arena.take(Int32Array, n);
      for (let i = 0; i < n; i++) rows[i] = n - 1 - i;
      const gh = arena.take(Float64Array, 2 * n);
      k.binaryGradients(raw.byteOffset, y.byteOffset, rows.byteOffset, 0, n, gh.byteOffset);
      const expected = new Float64Array(2 * n);
      binaryLogLoss().gradients(raw, y, rows, 0, expected);
      for (let i = 0; i < 2 * n; i++) expect(Math.abs(gh[i]! - expected[i]!)).toBeLessThan(1e-14);
      for (let i = 1; i < 2 * n; i += 2) expect(gh[i]!).toBeGreaterThanOrEqual(1e-16);
    }
  });

  it("partitions rows stably (missing bin left or right) and applies split values by the same test", () => {
    const n = 3_000;
    const missing = 255;
    const arena = new SharedArena();
    const k = boostKernels(arena.memory);
    const rng = new Rng(4);
    const col = arena.take(Uint8Array, n);
    for (let i = 0; i < n; i++) col[i] = i % 13 === 0 ? missing : rng.int(40);
    const rows = arena.take(Int32Array, n);
    const scratch = arena.take(Int32Array, n);
    for (const missingLeft of [0, 1]) {
      const order = Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0);
      rows.fill(-1);
      rows.set(order, 100);
      const end = 100 + order.length;
      const cut = 17;
      const goesLeft = (r: number) => col[r]! <= cut || (missingLeft === 1 && col[r] === missing);
      const test = [col.byteOffset, rows.byteOffset, 100, end, cut, missing, missingLeft] as const;
      const mid = k.partition(...test, scratch.byteOffset);
      const left = order.filter(goesLeft);
      const right = order.filter((r) => !goesLeft(r));
      expect(mid).toBe(100 + left.length);
      expect(Array.from(rows.subarray(100, end))).toEqual([...left, ...right]);
      expect(rows[99]).toBe(-1);
      expect(rows[end]).toBe(-1);
      // Raw scores with 3 outputs per row; output 1 gets the values.
      const raw = arena.take(Float64Array, 3 * n);
      k.addSplitValues(...test, raw.byteOffset + 8, 24, 0.5, -2);
      for (let r = 0; r < n; r++) {
        const want = r % 3 === 0 ? 0 : goesLeft(r) ? 0.5 : -2;
        expect([raw[3 * r], raw[3 * r + 1], raw[3 * r + 2]]).toEqual([0, want, 0]);
      }
    }
  });

  it("adds and subtracts histograms element-wise", () => {
    const arena = new SharedArena();
    const k = boostKernels(arena.memory);
    const a = arena.take(Float64Array, 4096);
    const b = arena.take(Float64Array, 4096);
    const guard = arena.take(Float64Array, 2);
    for (let i = 0; i < a.length; i++) {
      a[i] = i * 0.5;
      b[i] = 1 - i;
    }
    k.addInto(a.byteOffset, b.byteOffset, a.byteLength);
    expect(a.every((v, i) => v === i * 0.5 + (1 - i))).toBe(true);
    k.subtractFrom(a.byteOffset, b.byteOffset, a.byteLength - 16);
    expect(a.subarray(0, 4094).every((v, i) => v === i * 0.5)).toBe(true);
    expect(a[4095]).toBe(4095 * 0.5 + (1 - 4095));
    expect(Array.from(guard)).toEqual([0, 0]);
  });
});

describe("shared arena", () => {
  it("carves aligned, zeroed arrays from one growing shared memory and keeps earlier views valid", () => {
    const arena = new SharedArena();
    const a = arena.take(Float64Array, 10);
    a.fill(7);
    const big = arena.take(Uint8Array, 3 * 65_536);
    const b = arena.take(Int32Array, 5);
    expect(arena.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(arena.memory.buffer.byteLength).toBeGreaterThanOrEqual(b.byteOffset + b.byteLength);
    for (const v of [a, big, b]) expect(v.byteOffset % 64).toBe(0);
    expect(big.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + a.byteLength);
    expect(Array.from(a)).toEqual(new Array(10).fill(7));
    expect(Array.from(b)).toEqual([0, 0, 0, 0, 0]);
    expect(new Float64Array(arena.memory.buffer, a.byteOffset, 10)[3]).toBe(7);
  });

  it("refuses more than 4 GiB with a clear error", () => {
    expect(() => new SharedArena().take(Float64Array, 2 ** 30)).toThrow(/8\.0 GiB of working memory.*4 GiB/);
  });
});
