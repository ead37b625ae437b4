import { describe, expect, it } from "vitest";
import { PythonRandom } from "../../src/monitor/detectors/python-random.js";

// Pinned from CPython 3.11 (`/usr/bin/python3`), printed by python-reference.py in this folder.
describe("PythonRandom equals CPython's random.Random", () => {
  it("reproduces choices, random, sample and gauss for seed 12345", () => {
    const r = new PythonRandom(12345);
    expect(r.choices([0, 1], 5)).toEqual([0, 0, 1, 0, 0]);
    expect(r.random()).toBe(0.19366134904507426);
    expect(r.sampleRange(70, 30)).toEqual([
      55, 20, 47, 15, 69, 33, 22, 39, 35, 11, 63, 67, 46, 5, 64, 58, 26, 37, 32, 10, 9, 13, 57, 4, 12, 21, 68,
      1, 29, 44,
    ]);
    expect(r.gauss(0, 1)).toBe(1.1786586566451889);
    expect(r.gauss(2, 3)).toBe(2.602714091883267);
  });

  it("reproduces weighted choices, the set branch of sample, big and zero seeds", () => {
    const r = new PythonRandom(42);
    expect(r.choices([0, 1], 3, [0.3, 0.7])).toEqual([1, 0, 0]);
    expect(r.sampleRange(1000, 10)).toEqual([228, 142, 754, 104, 692, 758, 913, 558, 89, 604]);
    expect(new PythonRandom(2 ** 40 + 7).random()).toBe(0.6137037779936511);
    expect(new PythonRandom(0).random()).toBe(0.8444218515250481);
  });

  it("continues exactly from a saved state", () => {
    const a = new PythonRandom(7);
    for (let i = 0; i < 1000; i++) a.random();
    a.gauss();
    const b = PythonRandom.fromState(JSON.parse(JSON.stringify(a.getState())));
    for (let i = 0; i < 1000; i++) expect(b.gauss()).toBe(a.gauss());
  });
});
