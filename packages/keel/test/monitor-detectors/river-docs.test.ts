import { describe, expect, it } from "vitest";
import {
  Adwin,
  Ddm,
  type DriftDetector,
  Eddm,
  HddmA,
  hasWarnings,
  Kswin,
  PageHinkley,
  PythonRandom,
} from "../../src/monitor/detectors/index.js";

/** River's numeric doc stream: `rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)`, seed 12345. */
function numericStream(): number[] {
  const rng = new PythonRandom(12345);
  return [...rng.choices([0, 1], 1000), ...rng.choices([4, 5, 6, 7], 1000)];
}

/** River's binary doc stream: fair bits, then P(1) = 0.7; seed 42. */
function binaryStream(): boolean[] {
  const rng = new PythonRandom(42);
  return [...rng.choices([0, 1], 1000), ...rng.choices([0, 1], 1000, [0.3, 0.7])].map((v) => v === 1);
}

/** What River's docstring loops print: the first warning after the start or a drift, and every drift. */
function riverPrints<X>(detector: DriftDetector<X>, stream: X[]): string[] {
  const lines: string[] = [];
  let printWarning = true;
  stream.forEach((x, i) => {
    detector.update(x);
    if (hasWarnings(detector) && detector.warningDetected && printWarning) {
      lines.push(`Warning detected at index ${i}`);
      printWarning = false;
    }
    if (detector.driftDetected) {
      lines.push(`Change detected at index ${i}`);
      printWarning = true;
    }
  });
  return lines;
}

// Expected lines are copied from the docstrings of River's current sources (river/drift/*.py).
describe("River's documented examples, reproduced exactly", () => {
  it("ADWIN: change at 1023", () => {
    expect(riverPrints(new Adwin(), numericStream())).toEqual(["Change detected at index 1023"]);
  });

  it("Page-Hinkley: change at 1006", () => {
    expect(riverPrints(new PageHinkley(), numericStream())).toEqual(["Change detected at index 1006"]);
  });

  it("KSWIN(alpha=0.0001, seed=42): change at 1016", () => {
    expect(riverPrints(new Kswin({ alpha: 0.0001, seed: 42 }), numericStream())).toEqual([
      "Change detected at index 1016",
    ]);
  });

  it("DDM: warning 1084, change 1334, warning 1492", () => {
    expect(riverPrints(new Ddm(), binaryStream())).toEqual([
      "Warning detected at index 1084",
      "Change detected at index 1334",
      "Warning detected at index 1492",
    ]);
  });

  it("EDDM(alpha=0.8, beta=0.75): warning 1059, change 1278", () => {
    expect(riverPrints(new Eddm({ alpha: 0.8, beta: 0.75 }), binaryStream())).toEqual([
      "Warning detected at index 1059",
      "Change detected at index 1278",
    ]);
  });

  it("HDDM_A: warning 451, change 1206", () => {
    expect(riverPrints(new HddmA(), binaryStream())).toEqual([
      "Warning detected at index 451",
      "Change detected at index 1206",
    ]);
  });
});
