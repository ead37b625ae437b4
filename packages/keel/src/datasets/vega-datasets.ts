import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { invalidParam, notFound } from "../errors.js";

/**
 * Absolute path of a file shipped in the `vega-datasets` npm package (the demo and labs' real
 * data: flights-3m.parquet, seattle-weather.csv, penguins.json, cars.json...).
 */
export function vegaDatasetPath(file: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(file) || file.includes("..")) {
    throw invalidParam(`Invalid dataset file name '${file}': a plain file name like 'seattle-weather.csv'`);
  }
  // The package exports only its JS entry, so locate the data folder beside it.
  const entry = createRequire(import.meta.url).resolve("vega-datasets");
  let dir = dirname(entry);
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  const path = join(dir, "data", file);
  if (!existsSync(path))
    throw notFound(`vega-datasets has no file '${file}' (looked in ${join(dir, "data")})`);
  return path;
}
