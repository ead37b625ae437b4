import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDetector, detectAll } from "../../src/monitor/detectors/index.js";
import { NumpyLegacyRandom } from "./numpy-legacy.js";

// River's own test suite (river/drift/test_drift_detectors.py, at the commit whose detectors use
// today's `drift_detected` API and auto-reset) builds its streams with numpy's legacy generator.
// EDDM and Page-Hinkley are left out: River has since rewritten both algorithms, so that file's
// expectations for them no longer describe River's current code.

function stream1(): number[] {
  const g = new NumpyLegacyRandom(12345);
  return [
    ...Array.from({ length: 1000 }, () => g.randint(2)),
    ...Array.from({ length: 1000 }, () => g.randint(8)),
  ];
}

function stream2(): number[] {
  const g = new NumpyLegacyRandom(12345);
  return [0.2, 0.8].flatMap((p) => Array.from({ length: 1000 }, () => g.binomial1(p)));
}

function stream3(): number[] {
  const g = new NumpyLegacyRandom(12345);
  return [0, 0.25, 0, 0.25].flatMap((m) => Array.from({ length: 500 }, () => (g.normal(m, 0.1) > 0 ? 1 : 0)));
}

const md5 = (xs: number[]) => createHash("md5").update(Uint8Array.from(xs)).digest("hex");
const bits = (xs: number[]) => xs.map((v) => v === 1);
const drifts = (type: string, params: Record<string, unknown>, xs: unknown[]) =>
  detectAll(createDetector(type, params) as never, xs as never).drifts;

describe("River's detector test suite, reproduced exactly", () => {
  it("the streams equal numpy's (md5 pinned by python-reference.py)", () => {
    expect(md5(stream1())).toBe("0a9c0355f29484a7209c39a579b8725b");
    expect(md5(stream2())).toBe("7f50e99f06ce441409062d95e93f3edd");
    expect(md5(stream3())).toBe("de88f3138b3823dacfd3fd37a25f3cae");
  });

  it("ADWIN: [1055]", () => expect(drifts("adwin", {}, stream1())).toEqual([1055]));
  it("KSWIN(alpha=0.0001, window_size=200, stat_size=100, seed=42): [1042]", () =>
    expect(drifts("kswin", { alpha: 0.0001, windowSize: 200, statSize: 100, seed: 42 }, stream1())).toEqual([
      1042,
    ]));
  it("DDM: [1049]", () => expect(drifts("ddm", {}, bits(stream2()))).toEqual([1049]));
  it("HDDM_A: [1047]", () => expect(drifts("hddm-a", {}, bits(stream2()))).toEqual([1047]));
  it("HDDM_A(two_sided_test=True): [531, 1015, 1545]", () =>
    expect(drifts("hddm-a", { twoSidedTest: true }, bits(stream3()))).toEqual([531, 1015, 1545]));
});
