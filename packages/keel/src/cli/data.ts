import type { Command } from "commander";
import { examples } from "./command-kit.js";
import { registerDataInspectCommands } from "./data-inspect.js";
import { registerDataQualityCommands } from "./data-quality.js";
import { registerDataVersionCommands } from "./data-version.js";

/** `keel data ...`: formats, profiling, SQL, validation, splits and versioning. */
export function registerDataCommands(program: Command): void {
  const data = program
    .command("data")
    .description("data formats, profiles, SQL, validation, splits, and content-addressed versioning");
  examples(
    data,
    "keel data convert flights.csv flights.parquet",
    "keel data profile flights.parquet --html profile.html",
    "keel data add data/train.parquet",
  );
  registerDataInspectCommands(data);
  registerDataQualityCommands(data);
  registerDataVersionCommands(data);
}
