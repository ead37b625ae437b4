import type { Command } from "commander";
import { invalidParam } from "../errors.js";
import { warningZones } from "../monitor/detectors/detect-all.js";
import { detectFile, type FileDetections } from "../monitor/detectors/detect-file.js";
import { DETECTOR_TYPES, detectorInfo } from "../monitor/detectors/registry.js";
import { action, collect, examples } from "./command-kit.js";
import { printJson, printTable } from "./output.js";

interface DetectFlags {
  detector: string;
  param?: string[];
  input: string;
  column?: string;
  json?: boolean;
}

/**
 * `keel monitor detect`: run one concept-drift detector over a stream file and print the 0-based
 * indices where it warned and signalled drift, to compare with another implementation (River).
 * Registered on the `monitor` command group.
 */
export function registerMonitorDetect(monitor: Command): void {
  const cmd = monitor
    .command("detect")
    .description(
      "run a concept-drift detector over a stream file; print where warnings and drifts fire (0-based)",
    )
    .requiredOption("-d, --detector <name>", `detector: ${DETECTOR_TYPES.join(" | ")}`)
    .option(
      "-p, --param <key=value>",
      "detector parameter (repeatable; camelCase or River's snake_case)",
      collect,
    )
    .requiredOption("-i, --input <file>", "CSV/TSV with a header row, or one value per line")
    .option(
      "-c, --column <name>",
      "column to read: a header name or a 1-based position (needed when there are several)",
    )
    .option("--json", "print {detector, params, n, warnings, drifts} as JSON");
  cmd.addHelpText(
    "after",
    `
Detectors (River's semantics and defaults):
${DETECTOR_TYPES.map((t) => `  ${t.padEnd(13)} ${describeDetector(t)}`).join("\n")}
Binary detectors read 0/1 errors (1 = wrong prediction); the others any number (e.g. a regression error).
Warnings are listed at every index of a warning zone; a detector starts afresh after each drift.`,
  );
  examples(
    cmd,
    "keel monitor detect --detector adwin --input errors.csv --column abs_error",
    "keel monitor detect -d ddm -i feedback.csv -c wrong --json",
    "keel monitor detect -d page-hinkley --param threshold=25 --param mode=up -i latency.txt",
    "keel monitor detect -d kswin -p alpha=0.0001 -p seed=42 -i stream.csv",
  );
  cmd.action(
    action(async (opts: DetectFlags) => {
      const params = parseDetectorParams(opts.detector, opts.param ?? []);
      const result = await detectFile(opts.detector, params, opts.input, { column: opts.column });
      if (opts.json) printJson(result);
      else printDetections(result);
    }),
  );
}

function describeDetector(type: string): string {
  const info = detectorInfo(type);
  const params = Object.entries(info.defaults)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  return `${info.binary ? "0/1 errors" : "numbers"}${info.warnings ? ", warnings" : ""}; ${params}`;
}

/**
 * `--param key=value` pairs as a params object: keys in camelCase or snake_case, values coerced
 * to the type of the parameter's default. Unknown keys list the detector's parameters.
 */
export function parseDetectorParams(type: string, pairs: readonly string[]): Record<string, unknown> {
  const { defaults } = detectorInfo(type);
  const known = Object.keys(defaults);
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw invalidParam(`--param '${pair}' must look like key=value`);
    const key = pair
      .slice(0, eq)
      .trim()
      .replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const raw = pair.slice(eq + 1).trim();
    if (!known.includes(key)) {
      throw invalidParam(
        `Unknown parameter '${pair.slice(0, eq)}' for ${type}. Its parameters: ${known.join(", ")}`,
      );
    }
    params[key] = coerce(key, raw, defaults[key]);
  }
  return params;
}

function coerce(key: string, raw: string, like: unknown): unknown {
  if (typeof like === "number") {
    const v = raw === "" ? Number.NaN : Number(raw);
    if (!Number.isFinite(v)) throw invalidParam(`--param ${key}=${raw}: expected a number`);
    return v;
  }
  if (typeof like === "boolean") {
    if (raw === "true" || raw === "1") return true;
    if (raw === "false" || raw === "0") return false;
    throw invalidParam(`--param ${key}=${raw}: expected true or false`);
  }
  return raw;
}

function printDetections(r: FileDetections): void {
  const params = Object.entries(r.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  process.stdout.write(`${r.detector} (${params}) over ${r.n} values\n`);
  const rows = [
    ...r.drifts.map((i) => ({ event: "drift", from: i, to: i })),
    ...warningZones(r).map(([from, to]) => ({ event: "warning", from, to })),
  ].sort((a, b) => a.from - b.from || a.event.localeCompare(b.event));
  printTable(
    rows,
    [
      { header: "event", value: (row) => row.event },
      { header: "from", value: (row) => row.from, align: "right" },
      { header: "to", value: (row) => row.to, align: "right" },
    ],
    "(no warnings or drifts)",
  );
  const zones = rows.length - r.drifts.length;
  process.stdout.write(
    `${r.drifts.length} drift(s), ${zones} warning zone(s) (${r.warnings.length} warning indices)\n`,
  );
}
