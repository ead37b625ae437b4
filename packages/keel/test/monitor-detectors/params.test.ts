import { describe, expect, it } from "vitest";
import { isKeelError } from "../../src/errors.js";
import {
  Adwin,
  createDetector,
  Ddm,
  DETECTOR_TYPES,
  detectorInfo,
  Eddm,
  HddmA,
  Kswin,
  PageHinkley,
  restoreDetector,
} from "../../src/monitor/detectors/index.js";

/** The KeelError message `fn` throws (fails the test when it throws nothing or something else). */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isKeelError(e)).toBe(true);
    expect((e as { code: string }).code).toBe("INVALID_PARAMETER_VALUE");
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

describe("detector parameters", () => {
  it("default to River's", () => {
    expect(new Adwin().getParams()).toEqual({
      delta: 0.002,
      clock: 32,
      maxBuckets: 5,
      minWindowLength: 5,
      gracePeriod: 10,
    });
    expect(new Ddm().getParams()).toEqual({ warmStart: 30, warningThreshold: 2, driftThreshold: 3 });
    expect(new Eddm().getParams()).toEqual({ warmStart: 30, alpha: 0.95, beta: 0.9 });
    expect(new HddmA().getParams()).toEqual({
      driftConfidence: 0.001,
      warningConfidence: 0.005,
      twoSidedTest: false,
    });
    expect(new PageHinkley().getParams()).toEqual({
      minInstances: 30,
      delta: 0.005,
      threshold: 50,
      alpha: 1 - 0.0001,
      mode: "both",
    });
    expect(new Kswin().getParams()).toEqual({ alpha: 0.005, windowSize: 100, statSize: 30, seed: 0 });
  });

  it("are frozen", () => {
    const d = new Adwin({ delta: 0.01 });
    expect(Object.isFrozen(d.params)).toBe(true);
    expect(d.params.delta).toBe(0.01);
  });

  it("reject bad values with a message naming the parameter", () => {
    expect(errorOf(() => new Adwin({ delta: 2 }))).toMatch(/ADWIN.*'delta' = 2/);
    expect(errorOf(() => new Adwin({ clock: 0 }))).toMatch(/'clock' = 0/);
    expect(errorOf(() => new Ddm({ warmStart: 1.5 }))).toMatch(/'warmStart' = 1.5/);
    expect(errorOf(() => new Eddm({ alpha: 0.5, beta: 0.8 }))).toMatch(/alpha must be >= beta/);
    expect(errorOf(() => new HddmA({ twoSidedTest: "yes" as never }))).toMatch(/'twoSidedTest'/);
    expect(errorOf(() => new PageHinkley({ mode: "sideways" as never }))).toMatch(/'mode' = "sideways"/);
    expect(errorOf(() => new Kswin({ windowSize: 50, statSize: 30 }))).toMatch(
      /windowSize must be at least 2 \* statSize/,
    );
    expect(errorOf(() => new Kswin({ alpha: 1.5 }))).toMatch(/'alpha' = 1.5/);
  });

  it("reject unknown parameters", () => {
    expect(errorOf(() => createDetector("adwin", { delt: 0.1 }))).toMatch(/unknown parameter\(s\) 'delt'/);
  });

  it("unknown detector names list the known ones", () => {
    expect(errorOf(() => createDetector("cusum"))).toBe(
      `Unknown detector 'cusum'. Known detectors: ${DETECTOR_TYPES.join(", ")}`,
    );
    expect(detectorInfo("ddm").binary).toBe(true);
    expect(detectorInfo("adwin").warnings).toBe(false);
  });

  it("corrupt snapshots are rejected", () => {
    expect(errorOf(() => restoreDetector({ type: "ddm" } as never))).toMatch(/Not a detector snapshot/);
    const snap = new Ddm().update(true).toJSON();
    expect(errorOf(() => restoreDetector({ ...snap, state: { ...snap.state, p: "x" } }))).toMatch(
      /'p' must be a number/,
    );
    expect(errorOf(() => Adwin.fromJSON(snap))).toMatch(/of type 'ddm', not 'adwin'/);
  });
});
