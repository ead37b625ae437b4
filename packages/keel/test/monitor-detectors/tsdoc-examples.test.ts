import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as detectors from "../../src/monitor/detectors/index.js";

const SRC = join(dirname(fileURLToPath(import.meta.url)), "../../src/monitor/detectors");
const FILES = ["adwin.ts", "ddm.ts", "eddm.ts", "hddm-a.ts", "kswin.ts", "page-hinkley.ts"];

/** The `@example` block of a file's TSDoc: code lines, the last one ending in `// => JSON`. */
function exampleOf(file: string): { body: string; expected: unknown } {
  const text = readFileSync(join(SRC, file), "utf8");
  const match = /\* @example\n((?: \*.*\n)+?) \*\//.exec(text);
  if (!match) throw new Error(`${file} has no @example block`);
  const lines = match[1]!
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => l.replace(/^ \* ?/, ""));
  const last = lines.pop()!;
  const [expr, expected] = last.split("; // => ");
  if (expected === undefined) throw new Error(`${file}: the last example line must end with '; // => VALUE'`);
  return { body: `${lines.join("\n")}\nreturn ${expr};`, expected: JSON.parse(expected) };
}

// STYLE.md §12: every detector's TSDoc example runs verbatim and prints what it claims.
describe("TSDoc @example of every detector runs verbatim", () => {
  for (const file of FILES) {
    it(file, () => {
      const { body, expected } = exampleOf(file);
      const names = Object.keys(detectors);
      const run = new Function(...names, body) as (...args: unknown[]) => unknown;
      expect(run(...names.map((n) => (detectors as Record<string, unknown>)[n]))).toEqual(expected);
    });
  }
});
