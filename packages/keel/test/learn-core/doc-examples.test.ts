// Runs every TSDoc @example of helper A's learn modules verbatim (STYLE.md §12): each line
// ending in `// expected` must print as `expected` (≈ compares numbers to the digits shown).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as core from "../../src/learn/core/index.js";
import * as dummy from "../../src/learn/dummy/index.js";
import * as linear from "../../src/learn/linear/index.js";
import * as metrics from "../../src/learn/metrics/index.js";
import * as naiveBayes from "../../src/learn/naive-bayes/index.js";
import * as neighbors from "../../src/learn/neighbors/index.js";
import * as pipeline from "../../src/learn/pipeline/index.js";
import * as transform from "../../src/learn/transform/index.js";
import * as validation from "../../src/learn/validation/index.js";

const FOLDERS = [
  "core",
  "transform",
  "pipeline",
  "linear",
  "neighbors",
  "naive-bayes",
  "dummy",
  "metrics",
  "validation",
];
const learnDir = fileURLToPath(new URL("../../src/learn/", import.meta.url));
const scope: Record<string, unknown> = {
  ...core,
  ...transform,
  ...pipeline,
  ...linear,
  ...neighbors,
  ...naiveBayes,
  ...dummy,
  ...metrics,
  ...validation,
  NaN: Number.NaN,
};

interface Example {
  file: string;
  code: string[];
}

function examples(): Example[] {
  const out: Example[] = [];
  for (const folder of FOLDERS) {
    for (const name of readdirSync(join(learnDir, folder)).filter((f) => f.endsWith(".ts"))) {
      const lines = readFileSync(join(learnDir, folder, name), "utf8").split("\n");
      lines.forEach((line, i) => {
        if (!/^\s*\* @example\s*$/.test(line)) return;
        const code: string[] = [];
        for (
          let j = i + 1;
          j < lines.length && /^\s*\*( |$)/.test(lines[j]!) && !/^\s*\*\//.test(lines[j]!);
          j++
        ) {
          if (/^\s*\* @/.test(lines[j]!)) break;
          code.push(lines[j]!.replace(/^\s*\* ?/, ""));
        }
        out.push({ file: `${folder}/${name}:${i + 1}`, code });
      });
    }
  }
  return out;
}

/** Prints a value the way the examples write results. */
function show(v: unknown): string {
  if (ArrayBuffer.isView(v))
    return `${v.constructor.name} [${Array.from(v as unknown as ArrayLike<number>).join(", ")}]`;
  if (v && typeof v === "object" && "rowCount" in v && "columns" in v) {
    return (v as core.Table).columns
      .map(
        (c) =>
          `${c.name} = [${Array.from(c.values as ArrayLike<unknown>, (x) => (typeof x === "string" ? `"${x}"` : String(x))).join(", ")}]`,
      )
      .join(", ");
  }
  return JSON.stringify(v);
}

function matches(actual: string, expected: string): boolean {
  const squash = (s: string) => s.replace(/\s+/g, "");
  if (!expected.includes("≈")) return squash(actual) === squash(expected);
  const num = /-?\d+(\.\d+)?(e-?\d+)?|NaN/g;
  const a = actual.match(num) ?? [];
  const e = expected.match(num) ?? [];
  return (
    a.length === e.length &&
    e.every((x, i) => {
      const digits = x.split(".")[1]?.length ?? 0;
      return Math.abs(Number(a[i]) - Number(x)) <= 0.5 * 10 ** -digits;
    })
  );
}

describe("TSDoc examples run verbatim", () => {
  const all = examples();
  it("finds the examples", () => {
    expect(all.length).toBeGreaterThanOrEqual(20);
  });
  it.each(all.map((e) => [e.file, e] as const))("%s", (_file, example) => {
    const checks: { expected: string; actual: string }[] = [];
    const body = example.code
      .map((line) => {
        const m = /^(.*?);\s*\/\/\s*(.+)$/.exec(line);
        if (!m) return line;
        return `__check(${m[1]}, ${JSON.stringify(m[2])});`;
      })
      .join("\n");
    const names = Object.keys(scope);
    const run = new Function(...names, "__check", body);
    run(...names.map((n) => scope[n]), (value: unknown, expected: string) =>
      checks.push({ expected, actual: show(value) }),
    );
    expect(checks.length).toBeGreaterThan(0);
    for (const c of checks) expect(matches(c.actual, c.expected), `${c.actual} vs ${c.expected}`).toBe(true);
  });
});
