import { afterAll, describe, expect, it } from "vitest";
import { type AnyDetector, createDetector, detectAll } from "../../src/monitor/detectors/index.js";
import { CASES, CHANGE_AT, type DetectorCase, RAMP, streamFor } from "./streams.js";

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const report: string[] = [];

function run(c: DetectorCase, seed: number, gradual: boolean) {
  const detector = createDetector(c.type, c.params) as AnyDetector & { update(x: unknown): unknown };
  const result = detectAll(detector as never, streamFor(c, seed, gradual) as never);
  const falseAlarms = result.drifts.filter((i) => i < CHANGE_AT);
  const first = result.drifts.find((i) => i >= CHANGE_AT);
  return { falseAlarms, delay: first === undefined ? undefined : first - CHANGE_AT };
}

// Streams change at index 1000 (abrupt: at once; gradual: a linear mixture over 300 values).
// Numeric: N(0, 0.5) -> N(1, 0.5); binary: error rate 10% -> 30%.
describe.each(CASES)("$type on a synthetic stream with a known change point", (c) => {
  for (const gradual of [false, true]) {
    const kind = gradual ? "gradual" : "abrupt";
    it(`${kind}: no drift on the 1000-value stationary prefix, a drift after the change (seed 1)`, () => {
      const { falseAlarms, delay } = run(c, 1, gradual);
      report.push(`${c.type.padEnd(13)} ${kind.padEnd(8)} seed 1: delay ${delay}`);
      expect(falseAlarms).toEqual([]);
      expect(delay).toBeDefined();
      expect(delay!).toBeLessThan(gradual ? RAMP + 300 : 300);
    });

    it(`${kind}: detection delay over 10 seeds (recorded)`, () => {
      const runs = SEEDS.map((seed) => run(c, seed, gradual));
      const delays = runs.map((r) => r.delay);
      const alarms = runs.reduce((s, r) => s + r.falseAlarms.length, 0);
      report.push(
        `${c.type.padEnd(13)} ${kind.padEnd(8)} seeds 1-10: delays ${delays.map((d) => d ?? "-").join(" ")}; false alarms ${alarms}`,
      );
      // Every detector finds the change in most streams; false alarms are counted, not hidden.
      expect(delays.filter((d) => d !== undefined).length).toBeGreaterThanOrEqual(8);
    });
  }
});

afterAll(() => {
  console.info(`Detection delays (values after the change point):\n${report.join("\n")}`);
});
