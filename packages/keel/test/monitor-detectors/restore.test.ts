import { describe, expect, it } from "vitest";
import {
  type AnyDetector,
  createDetector,
  type DetectorSnapshot,
  detectAll,
  hasWarnings,
  restoreDetector,
} from "../../src/monitor/detectors/index.js";
import { CASES, streamFor } from "./streams.js";

type Feed = AnyDetector & { update(x: number | boolean): unknown };

/** Per-update flags of a detector over `xs`: "d" drift, "w" warning, "." neither. */
function flags(d: Feed, xs: (number | boolean)[]): string {
  let out = "";
  for (const x of xs) {
    d.update(x);
    out += d.driftDetected ? "d" : hasWarnings(d) && d.warningDetected ? "w" : ".";
  }
  return out;
}

/** A restart: the snapshot goes through JSON text, as it would through a file or a database. */
function restart(d: AnyDetector): Feed {
  const text = JSON.stringify(d.toJSON());
  return restoreDetector(JSON.parse(text) as DetectorSnapshot) as Feed;
}

describe.each(CASES)("$type survives a restart mid-stream", (c) => {
  const xs = streamFor(c, 3, false);
  const uninterrupted = createDetector(c.type, c.params) as Feed;
  const expected = flags(uninterrupted, xs);

  it("the stream has drifts to cross", () => {
    expect(expected).toContain("d");
  });

  // Cut points: early, inside the stationary part, right on each drift (the auto-reset is pending) and after it.
  const drifts = [...expected.matchAll(/d/g)].map((m) => m.index!);
  const cuts = [
    ...new Set([1, 50, 700, ...drifts.map((i) => i + 1), ...drifts.map((i) => i + 7), xs.length - 1]),
  ];

  it.each(cuts)("restored after %i values continues exactly like the uninterrupted detector", (cut) => {
    const first = createDetector(c.type, c.params) as Feed;
    const before = flags(first, xs.slice(0, cut));
    const resumed = restart(first);
    const after = flags(resumed, xs.slice(cut));
    expect(before + after).toBe(expected);
    expect(resumed.toJSON()).toEqual(uninterrupted.toJSON());
  });

  it("reset() returns to a fresh detector", () => {
    const d = createDetector(c.type, c.params) as Feed;
    flags(d, xs.slice(0, 1500));
    d.reset();
    expect(d.toJSON()).toEqual(createDetector(c.type, c.params).toJSON());
    expect(flags(d, xs)).toBe(expected);
  });
});

describe("detectAll keeps the detector's state", () => {
  it("two halves equal one pass", () => {
    const c = CASES[0]!;
    const xs = streamFor(c, 4, true) as number[];
    const whole = detectAll(createDetector(c.type) as never, xs);
    const d = createDetector(c.type);
    const a = detectAll(d as never, xs.slice(0, 1234));
    const b = detectAll(d as never, xs.slice(1234));
    expect([...a.drifts, ...b.drifts.map((i) => i + 1234)]).toEqual(whole.drifts);
  });
});
