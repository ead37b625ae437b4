import { invalidParam } from "../errors.js";

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Parse a human duration (`500ms`, `30s`, `10m`, `1h30m`, `7d`) to milliseconds. The error names
 * the option and shows the accepted form.
 */
export function parseDuration(text: string, option = "duration"): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (text === "" || matched !== text.length) {
    throw invalidParam(`${option} '${text}' is not a duration: use e.g. 500ms, 30s, 10m, 1h30m, 7d`);
  }
  return total;
}

/**
 * A point in time given as a duration ago (`24h`, `7d`) or an ISO time (`2024-05-01T00:00:00Z`),
 * in epoch ms; undefined stays undefined. `option` names the flag in the error.
 * @example parsePointInTime("--since", "24h", Date.now()) // now - 86_400_000
 */
export function parsePointInTime(option: string, text: string | undefined, now: number): number | undefined {
  if (text === undefined) return undefined;
  if (/^\d+(\.\d+)?(ms|s|m|h|d|w)/.test(text)) return now - parseDuration(text, option);
  const t = Date.parse(text);
  if (Number.isNaN(t)) {
    throw invalidParam(
      `${option} '${text}' is neither a duration (24h, 7d) nor an ISO time (2024-05-01T00:00:00Z)`,
    );
  }
  return t;
}
