import { describe, expect, it } from "vitest";
import { matrixFromColumns } from "../../src/learn/core/matrix.js";
import { Rng } from "../../src/learn/core/random.js";
import { binRowMajor, fitBinMapper } from "../../src/learn/ensemble/bin-mapper.js";
import { Float32Table, float32Bits } from "../../src/learn/ensemble/float32-table.js";

// The definition: a value's bin is the number of edges <= fround(x); NaN gets the missing bin.
function expectedBin(edges: Float32Array, x: number, missingBin: number): number {
  if (Number.isNaN(x)) return missingBin;
  return edges.filter((e) => e <= Math.fround(x)).length;
}

describe("boosting feature bins", () => {
  const rng = new Rng(8);
  const n = 20_000;
  const few = Float64Array.from({ length: n }, (_, i) => (i % 50 === 0 ? Number.NaN : rng.int(12) - 0.5));
  const signedZero = Float64Array.from({ length: n }, (_, i) => [0, -0, 1, 2][i % 4]!);
  const many = Float64Array.from({ length: n }, () => rng.next() * 1000); // > 4,096 distinct: memo fills up
  const X = matrixFromColumns([few, signedZero, many], ["few", "zero", "many"]);
  const mapper = fitBinMapper(X, 255, new Rng(0));

  it("gives every distinct value of a low-cardinality feature its own bin", () => {
    expect(mapper.edges[0]!.length).toBe(11);
    expect(mapper.edges[1]!.length).toBe(2); // -0 and 0 are one value
    expect(mapper.edges[2]!.length).toBe(254);
    expect(Array.from(mapper.hasMissing)).toEqual([1, 0, 0]);
  });

  it("bins every row as the edge count says, past the memo's capacity too", () => {
    const bins = binRowMajor(X, mapper);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 3; j++) {
        const want = expectedBin(mapper.edges[j]!, X.columns[j]![i]!, mapper.missingBin);
        if (bins[i * 3 + j] !== want) expect({ i, j, bin: bins[i * 3 + j] }).toEqual({ i, j, bin: want });
      }
    }
  });
});

describe("float32 table", () => {
  it("maps float32 bit patterns to values up to its capacity", () => {
    const t = new Float32Table(3);
    expect(t.get(float32Bits(1.5))).toBe(-1);
    expect(t.set(float32Bits(1.5), 7)).toBe(true);
    expect(t.set(float32Bits(-0), 1)).toBe(true);
    expect(t.set(float32Bits(0), 2)).toBe(true);
    expect(t.set(float32Bits(9), 3)).toBe(false);
    expect(t.set(float32Bits(1.5), 8)).toBe(true);
    expect([t.get(float32Bits(1.5)), t.get(float32Bits(-0)), t.get(float32Bits(0))]).toEqual([8, 1, 2]);
    expect(t.get(float32Bits(9))).toBe(-1);
    expect(t.size).toBe(3);
    expect(float32Bits(0.1)).toBe(float32Bits(Math.fround(0.1)));
  });
});
