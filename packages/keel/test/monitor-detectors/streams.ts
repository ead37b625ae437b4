import { PythonRandom } from "../../src/monitor/detectors/index.js";

/** Where the synthetic streams change (0-based index of the first changed value). */
export const CHANGE_AT = 1000;
/** Length of every synthetic stream. */
export const LENGTH = 3000;
/** Length of the gradual transition (the mixture moves linearly to the new concept). */
export const RAMP = 300;

/** Weight of the new concept at index i: a step, or a linear ramp of RAMP values. */
function share(i: number, gradual: boolean): number {
  if (i < CHANGE_AT) return 0;
  return gradual ? Math.min(1, (i - CHANGE_AT + 1) / RAMP) : 1;
}

/** Gaussian values, mean 0 then mean `shift` (sd 0.5), seeded; gradual = the mean ramps. */
export function numericStream(seed: number, gradual: boolean, shift = 1): number[] {
  const rng = new PythonRandom(seed);
  return Array.from({ length: LENGTH }, (_, i) => rng.gauss(shift * share(i, gradual), 0.5));
}

/** Error bits, rate `before` then `after`; gradual = each bit comes from the new rate with a ramping probability. */
export function binaryStream(seed: number, gradual: boolean, before = 0.1, after = 0.3): boolean[] {
  const rng = new PythonRandom(seed);
  return Array.from({ length: LENGTH }, (_, i) => {
    const rate = rng.random() < share(i, gradual) ? after : before;
    return rng.random() < rate;
  });
}

/** A detector configuration the synthetic-stream tests run. */
export interface DetectorCase {
  /** Registry name. */
  type: string;
  /** Parameters (River's defaults unless a reason is given). */
  params: Record<string, unknown>;
  /** Binary detectors get error bits, the others Gaussian values. */
  binary: boolean;
}

/**
 * Every detector, with River's defaults except where River's own docs and tests use other
 * values: EDDM's defaults raise false alarms on a stationary 10% error rate (River's docstring
 * uses alpha 0.8 / beta 0.75 for that reason), and KSWIN runs one test per update, so River's
 * examples use alpha 1e-4 and its tests a larger window for slow changes.
 */
export const CASES: DetectorCase[] = [
  { type: "adwin", params: {}, binary: false },
  { type: "page-hinkley", params: {}, binary: false },
  { type: "kswin", params: { alpha: 0.0001, windowSize: 300, statSize: 100, seed: 42 }, binary: false },
  { type: "ddm", params: {}, binary: true },
  { type: "eddm", params: { alpha: 0.8, beta: 0.75 }, binary: true },
  { type: "hddm-a", params: {}, binary: true },
];

/** The stream a case runs on. */
export function streamFor(c: DetectorCase, seed: number, gradual: boolean): (number | boolean)[] {
  return c.binary ? binaryStream(seed, gradual) : numericStream(seed, gradual);
}
