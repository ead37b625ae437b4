import { Command } from "commander";
import { KEEL_VERSION } from "../version.js";
import { registerCiCommands } from "./ci.js";
import { registerDataCommands } from "./data.js";
import { registerDemoCommand } from "./demo.js";
import { registerEndpointCommands } from "./endpoint.js";
import { registerExperimentsCommands } from "./experiments.js";
import { registerInitCommand } from "./init.js";
import { registerModelsCommands } from "./models.js";
import { registerMonitorCommands } from "./monitor.js";
import { registerPipelineCommands } from "./pipeline.js";
import { registerPredictCommand } from "./predict.js";
import { registerRunsCommands } from "./runs.js";
import { registerSearchCommand } from "./search.js";
import { registerServeCommand } from "./serve.js";
import { registerServerCommand } from "./server.js";
import { registerTrainCommands } from "./train.js";

/** Build the `keel` command tree (one register function per command group). */
export function buildProgram(): Command {
  const program = new Command("keel")
    .description(
      "Keel: the MLOps lifecycle for tabular ML — tracking, registry, data, training, serving, monitoring",
    )
    .version(KEEL_VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .configureHelp({ sortSubcommands: false })
    // Throw instead of exiting, so main.ts can map usage errors to exit 2 (1 means "a check failed").
    .exitOverride();
  registerInitCommand(program);
  registerExperimentsCommands(program);
  registerRunsCommands(program);
  registerModelsCommands(program);
  registerDataCommands(program);
  registerPipelineCommands(program);
  registerTrainCommands(program);
  registerSearchCommand(program);
  registerCiCommands(program);
  registerServerCommand(program);
  registerServeCommand(program);
  registerEndpointCommands(program);
  registerPredictCommand(program);
  registerMonitorCommands(program);
  registerDemoCommand(program);
  program.addHelpText(
    "after",
    '\nExamples:\n  $ keel init my-project\n  $ keel runs list --filter "metrics.accuracy > 0.8"\n  $ keel server\n',
  );
  return program;
}
