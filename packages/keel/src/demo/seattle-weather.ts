import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { invalidParam } from "../errors.js";
import type { Dataset } from "../store/entities.js";

/** The five weather classes, in sorted order (class index = position), as BENCH_TASKS.md fixes them. */
export const WEATHER_CLASSES = ["drizzle", "fog", "rain", "snow", "sun"] as const;

/** Seattle weather as columns (one typed array per feature; `label` holds class indices). */
export interface WeatherTable {
  date: string[];
  year: Int16Array;
  month: Int8Array;
  precipitation: Float64Array;
  tempMax: Float64Array;
  tempMin: Float64Array;
  wind: Float64Array;
  label: Int8Array;
}

/**
 * Read vega-datasets' seattle-weather.csv (a plain CSV without quoting) into columns, checking
 * the header and every value so a changed file fails loudly with its line number.
 */
export function readSeattleWeather(path: string): WeatherTable {
  const lines = readFileSync(path, "utf8").trimEnd().split(/\r?\n/);
  const header = lines[0];
  if (header !== "date,precipitation,temp_max,temp_min,wind,weather") {
    throw invalidParam(`${path}: unexpected header '${header}'`);
  }
  const n = lines.length - 1;
  const t: WeatherTable = {
    date: new Array<string>(n),
    year: new Int16Array(n),
    month: new Int8Array(n),
    precipitation: new Float64Array(n),
    tempMax: new Float64Array(n),
    tempMin: new Float64Array(n),
    wind: new Float64Array(n),
    label: new Int8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1]!.split(",");
    const num = (j: number) => {
      const v = Number(f[j]);
      if (f.length !== 6 || f[j] === "" || !Number.isFinite(v)) {
        throw invalidParam(`${path}: line ${i + 2}, column ${j + 1}: '${f[j]}' is not a number`);
      }
      return v;
    };
    const date = f[0]!;
    const cls = WEATHER_CLASSES.indexOf(f[5] as (typeof WEATHER_CLASSES)[number]);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || cls < 0) {
      throw invalidParam(`${path}: line ${i + 2}: bad date '${date}' or weather '${f[5]}'`);
    }
    t.date[i] = date;
    t.year[i] = Number(date.slice(0, 4));
    t.month[i] = Number(date.slice(5, 7));
    t.precipitation[i] = num(1);
    t.tempMax[i] = num(2);
    t.tempMin[i] = num(3);
    t.wind[i] = num(4);
    t.label[i] = cls;
  }
  return t;
}

/** Row indices whose year is in `years`. */
export function rowsOfYears(t: WeatherTable, years: readonly number[]): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < t.year.length; i++) if (years.includes(t.year[i]!)) out.push(i);
  return Int32Array.from(out);
}

/** MLflow-style dataset entity for a file: name, sha256 digest, local source, column schema. */
export function fileDataset(name: string, path: string, columns: Record<string, string>): Dataset {
  const digest = createHash("sha256").update(readFileSync(path)).digest("hex");
  return {
    name,
    digest,
    sourceType: "local",
    source: path,
    schema: JSON.stringify({ columns: Object.entries(columns).map(([n, type]) => ({ name: n, type })) }),
  };
}
