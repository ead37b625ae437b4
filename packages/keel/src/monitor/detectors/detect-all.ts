import { type DriftDetector, hasWarnings } from "./drift-detector.js";

/** Where a detector fired over a stream (0-based indices). */
export interface Detections {
  /** Values fed. */
  n: number;
  /** Indices after which `warningDetected` was true (every index of a warning zone). */
  warnings: number[];
  /** Indices after which `driftDetected` was true. */
  drifts: number[];
}

/** Feed every value of `xs` to `detector` (which keeps its state) and collect where it fired. */
export function detectAll<X>(detector: DriftDetector<X>, xs: Iterable<X>): Detections {
  const out: Detections = { n: 0, warnings: [], drifts: [] };
  for (const x of xs) recordUpdate(detector.update(x), out);
  return out;
}

/** Append the flags `detector` shows after its latest update to `out` (at index `out.n`), then count it. */
export function recordUpdate<X>(detector: DriftDetector<X>, out: Detections): void {
  if (hasWarnings(detector) && detector.warningDetected) out.warnings.push(out.n);
  if (detector.driftDetected) out.drifts.push(out.n);
  out.n++;
}

/** Consecutive warning indices merged into inclusive `[first, last]` zones (a drift ends a zone). */
export function warningZones(d: Detections): [number, number][] {
  const drifts = new Set(d.drifts);
  const zones: [number, number][] = [];
  for (const i of d.warnings) {
    const last = zones[zones.length - 1];
    if (last && last[1] === i - 1 && !drifts.has(i - 1)) last[1] = i;
    else zones.push([i, i]);
  }
  return zones;
}
