import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ColumnValues } from "../../src/monitor/drift/column-values.js";
import { statTest } from "../../src/monitor/drift/stat-tests.js";
import { kolmogorovSf, smirnovSf } from "../../src/monitor/drift/stats/kolmogorov.js";

// Samples and SciPy's values come from fixtures/make_fixtures.py (run with /usr/bin/python3).
interface Case {
  name: string;
  method: string;
  kind: "numerical" | "categorical";
  reference: (number | string | null)[];
  current: (number | string | null)[];
  score: number | string;
  statistic: number | string | null;
}

const FIXTURES = join(import.meta.dirname, "fixtures");
const cases = JSON.parse(readFileSync(join(FIXTURES, "drift-cases.json"), "utf8")) as Case[];

const num = (x: number | string | null) => (x === "Infinity" ? Number.POSITIVE_INFINITY : (x as number));

function values(kind: Case["kind"], raw: Case["reference"]): ColumnValues {
  if (kind === "numerical") {
    const finite = raw.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    return { kind, sorted: Float64Array.from(finite).sort() };
  }
  const counts = new Map<string, number>();
  for (const v of raw) if (v !== null) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  return { kind, counts, total: [...counts.values()].reduce((a, b) => a + b, 0) };
}

/** Equal to 1e-6 (absolute, or relative for large values); infinities must match exactly. */
function expectClose(actual: number, expected: number): void {
  if (!Number.isFinite(expected)) {
    expect(actual).toBe(expected);
    return;
  }
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
}

describe("drift statistics equal SciPy's on pinned samples", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const out = statTest(c.method).run(values(c.kind, c.reference), values(c.kind, c.current));
    expectClose(out.score, num(c.score));
    if (c.statistic !== null) expectClose(out.statistic ?? Number.NaN, num(c.statistic));
  });

  it("small p-values also agree relatively (1e-6) where SciPy's are above 1e-300", () => {
    for (const c of cases.filter((x) => x.method === "ks" || x.method === "chisquare")) {
      const expected = num(c.score);
      if (!(expected > 1e-300)) continue;
      const out = statTest(c.method).run(values(c.kind, c.reference), values(c.kind, c.current));
      expect(Math.abs(out.score - expected) / expected, c.name).toBeLessThan(1e-6);
    }
  });
});

describe("Kolmogorov distributions equal SciPy's", () => {
  const grid = JSON.parse(readFileSync(join(FIXTURES, "kstwo.json"), "utf8")) as {
    n: number;
    x: number;
    sf: number;
    smirnov: number;
  }[];
  it.each(grid.map((g) => [g.n, g.x, g] as const))("n=%d x=%f", (_n, _x, g) => {
    expectClose(kolmogorovSf(g.n, g.x), g.sf);
    expectClose(smirnovSf(g.n, g.x), g.smirnov);
    if (g.sf > 1e-300) expect(Math.abs(kolmogorovSf(g.n, g.x) - g.sf) / g.sf).toBeLessThan(1e-6);
  });
});
