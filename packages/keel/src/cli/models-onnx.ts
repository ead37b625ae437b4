import type { Command } from "commander";
import { action, examples } from "./command-kit.js";
import { type StoreOptions, withContext, withStoreOptions } from "./context.js";
import { printJson } from "./output.js";

/** `keel models export` and `keel models import` (ONNX exchange), added to the `models` group. */
export function registerModelExchangeCommands(models: Command): void {
  const exp = withStoreOptions(
    models
      .command("export <model-ref>")
      .description("copy a model package (model.json + model.onnx, hashes verified) to a folder")
      .requiredOption("-o, --out <dir>", "folder to write (new or empty)")
      .option("--json", "print JSON"),
  );
  examples(
    exp,
    "keel models export models:/flights-delay@champion --out build/model",
    "keel models export runs:/<run id>/model --out /tmp/model",
  );
  exp.action(
    action(async (ref: string, opts: StoreOptions & { out: string; json?: boolean }) => {
      await withContext(opts, async (ctx) => {
        // Lazy: model exchange loads ONNX Runtime.
        const { exportModel } = await import("../learn/train/model-exchange.js");
        const r = await exportModel(ctx, ref, opts.out);
        if (opts.json)
          return printJson({ dir: r.dir, files: r.files, name: r.manifest.name, task: r.manifest.task });
        process.stdout.write(
          `Exported ${r.manifest.name} (${r.manifest.task}) to ${r.dir}: ${r.files.join(", ")}\n`,
        );
      });
    }),
  );

  const imp = withStoreOptions(
    models
      .command("import <onnx-file>")
      .description("register an ONNX model trained elsewhere (e.g. skl2onnx) as a new model version")
      .requiredOption("-n, --name <name>", "registered model name")
      .option("--task <task>", "binary | multiclass | regression (default: from the graph outputs)")
      .option("--labels <a,b,...>", "class labels in class-index order (default 0..k-1)")
      .option("-y, --target <column>", "target column, recorded for keel evaluate")
      .option("--alias <alias>", "point this alias at the new version")
      .option("--description <text>", "version description")
      .option("--json", "print JSON"),
  );
  examples(
    imp,
    "keel models import iris.onnx --name iris --labels setosa,versicolor,virginica --target species",
    "keel models import model.onnx --name flights-delay --alias challenger --json",
  );
  imp.addHelpText(
    "after",
    "\nThe graph needs one input per column shaped [N, 1] and outputs 'label' + 'probabilities' (classifier,\nno ZipMap) or 'variable' (regressor).\n",
  );
  imp.action(
    action(
      async (
        file: string,
        opts: StoreOptions & {
          name: string;
          task?: string;
          labels?: string;
          target?: string;
          alias?: string;
          description?: string;
          json?: boolean;
        },
      ) => {
        await withContext(opts, async (ctx) => {
          const { importOnnxModel } = await import("../learn/train/model-exchange.js");
          const r = await importOnnxModel(ctx, file, {
            name: opts.name,
            task: opts.task,
            classLabels: opts.labels?.split(",").map((s) => s.trim()),
            target: opts.target,
            alias: opts.alias,
            description: opts.description,
          });
          if (opts.json)
            return printJson({ version: r.version, signature: r.manifest.signature, task: r.manifest.task });
          const inputs = r.manifest.signature.inputs.map((i) => `${i.name}:${i.type}`).join(", ");
          process.stdout.write(
            `Registered ${opts.name} version ${r.version.version} (${r.manifest.task}; inputs ${inputs}): models:/${opts.name}/${r.version.version}\n`,
          );
        });
      },
    ),
  );
}
