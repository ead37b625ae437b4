import type { Command } from "commander";
import { action, examples, intOption } from "./command-kit.js";
import { openCliContext, type StoreOptions, withStoreOptions } from "./context.js";
import { printJson } from "./output.js";
import { terminalProgress } from "./progress.js";

/** Flags of `keel predict`. */
interface PredictFlags extends StoreOptions {
  input: string;
  output: string;
  batch: number;
  keep?: string;
  json?: boolean;
}

/** `keel predict MODEL_REF`: batch prediction of a file, streamed in chunks. */
export function registerPredictCommand(program: Command): void {
  const cmd = withStoreOptions(
    program
      .command("predict")
      .argument("<model-ref>", "model: models:/NAME/VERSION, models:/NAME@ALIAS, runs:/ID/model or a folder")
      .description(
        "batch prediction: score a data file with ONNX Runtime, streamed in batches, into a new file",
      )
      .requiredOption("--input <file>", "data to predict (Parquet, CSV, JSON/JSONL, Arrow)")
      .requiredOption(
        "--output <file>",
        "where to write input columns + predictions (format from the extension)",
      )
      .option("--batch <rows>", "rows per ONNX Runtime run", intOption("--batch", 1), 65_536)
      .option("--keep <columns>", "comma-separated input columns to copy to the output (default: all)")
      .option("--json", "print the summary as JSON"),
  );
  examples(
    cmd,
    "keel predict models:/flights@champion --input data/april.parquet --output preds.parquet",
    "keel predict ./model --input new.csv --output scored.csv --keep id --batch 10000",
  );
  cmd.action(
    action(async (ref: string, opts: PredictFlags) => {
      const { resolveServedPackage } = await import("../serve/resolve-served-package.js");
      const { batchPredict } = await import("../serve/batch/batch-predict.js");
      const pkg = await resolveServedPackage(ref, () => openCliContext(opts));
      try {
        const r = await batchPredict({
          modelDir: pkg.dir,
          input: opts.input,
          output: opts.output,
          batchSize: opts.batch,
          keep: opts.keep
            ?.split(",")
            .map((s) => s.trim())
            .filter((s) => s !== ""),
          progress: opts.json ? undefined : terminalProgress("count"),
        });
        if (opts.json) printJson(r);
        else {
          process.stdout.write(
            `Predicted ${r.rows} rows in ${r.seconds.toFixed(2)} s (${Math.round(r.rowsPerSecond).toLocaleString("en-US")} rows/s) -> ${r.output}\n`,
          );
        }
      } finally {
        await pkg.cleanup();
      }
    }),
  );
}
