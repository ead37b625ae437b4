import { WEATHER_CLASSES, type WeatherTable } from "./seattle-weather.js";

/**
 * Hand-readable rule baselines for the Seattle weather task: what an ML model must beat.
 * A rule is plain data (JSON-serialisable), fitted by counting classes in groups of rows.
 */
export type WeatherRule =
  | { kind: "most_frequent"; predict: number }
  | { kind: "month_majority"; byMonth: number[] }
  | { kind: "rain_threshold"; threshold: number; coldBelow: number; coldClass: number; warmClass: number };

function majority(t: WeatherTable, rows: Iterable<number>, fallback: number): number {
  const counts = new Array<number>(WEATHER_CLASSES.length).fill(0);
  let any = false;
  for (const i of rows) {
    counts[t.label[i]!]!++;
    any = true;
  }
  if (!any) return fallback;
  // Ties go to the lower class index, like numpy's argmax.
  return counts.indexOf(Math.max(...counts));
}

/** Fit the "always the most frequent class" rule. */
export function fitMostFrequent(t: WeatherTable, rows: Int32Array): WeatherRule {
  return { kind: "most_frequent", predict: majority(t, rows, 0) };
}

/** Fit "the most frequent class of the month". */
export function fitMonthMajority(t: WeatherTable, rows: Int32Array): WeatherRule {
  const overall = majority(t, rows, 0);
  const byMonth = Array.from({ length: 13 }, (_, m) =>
    majority(
      t,
      [...rows].filter((i) => t.month[i] === m),
      overall,
    ),
  );
  return { kind: "month_majority", byMonth };
}

/**
 * Fit "rain when precipitation > threshold; otherwise the majority class of dry days colder or
 * warmer than `coldBelow` °C (max temperature)".
 */
export function fitRainThreshold(
  t: WeatherTable,
  rows: Int32Array,
  params: { threshold: number; coldBelow: number },
): WeatherRule {
  const dry = [...rows].filter((i) => t.precipitation[i]! <= params.threshold);
  const overall = majority(t, dry, WEATHER_CLASSES.indexOf("sun"));
  return {
    kind: "rain_threshold",
    ...params,
    coldClass: majority(
      t,
      dry.filter((i) => t.tempMax[i]! < params.coldBelow),
      overall,
    ),
    warmClass: majority(
      t,
      dry.filter((i) => t.tempMax[i]! >= params.coldBelow),
      overall,
    ),
  };
}

/** Predict class indices for the given rows. */
export function predictRule(rule: WeatherRule, t: WeatherTable, rows: Int32Array): Int8Array {
  const out = new Int8Array(rows.length);
  const rain = WEATHER_CLASSES.indexOf("rain");
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    switch (rule.kind) {
      case "most_frequent":
        out[k] = rule.predict;
        break;
      case "month_majority":
        out[k] = rule.byMonth[t.month[i]!]!;
        break;
      case "rain_threshold":
        out[k] =
          t.precipitation[i]! > rule.threshold
            ? rain
            : t.tempMax[i]! < rule.coldBelow
              ? rule.coldClass
              : rule.warmClass;
        break;
    }
  }
  return out;
}

/** True labels of the given rows. */
export function labelsOf(t: WeatherTable, rows: Int32Array): Int8Array {
  return Int8Array.from(rows, (i) => t.label[i]!);
}
