import { relative } from "node:path";
import type { Command } from "commander";
import { action, examples } from "./command-kit.js";

/** `keel demo`: the end-to-end demo on embedded defaults. */
export function registerDemoCommand(program: Command): void {
  const cmd = program
    .command("demo")
    .description("run the end-to-end demo on real data (embedded SQLite store, local artifacts)")
    .option("--dir <dir>", "project folder to create", "keel-demo")
    .option("--keep", "keep runs from earlier demos in that folder");
  examples(cmd, "keel demo", "keel demo --dir /tmp/keel-demo");
  cmd.action(
    action(async (opts: { dir: string; keep?: boolean }) => {
      // Lazy: the demo pulls in the server and every feature module.
      const {
        DEMO_EXPERIMENT,
        DEMO_MODEL,
        DEMO_REMOTE,
        LEARNED_EXPERIMENT,
        LEARNED_MODEL,
        PIPELINE_EXPERIMENT,
        runDemo,
      } = await import("../demo/run-demo.js");
      const started = Date.now();
      const { commandCatalog } = await import("./pipeline.js");
      const s = await runDemo({ dir: opts.dir, keep: opts.keep, catalog: commandCatalog(program) });
      const rel = relative(process.cwd(), s.projectDir) || ".";
      const keel = "npx keel";
      process.stdout.write(
        [
          "",
          `Demo finished in ${((Date.now() - started) / 1000).toFixed(1)}s. Where to look:`,
          `  store        ${s.trackingUri}`,
          `  profile      ${relative(process.cwd(), s.profileReport)}   (open in a browser)`,
          `  data         cd ${rel} && ${keel} data versions seattle-weather; ${keel} data usage ${s.datasetRef}; ${keel} data status`,
          `  quality      ${keel} data validate data/seattle-weather.parquet --expectations expectations.yaml`,
          `  runs         ${keel} runs list -e ${DEMO_EXPERIMENT} --order-by "metrics.valid_accuracy DESC"`,
          `  nested runs  ${keel} runs list -e ${DEMO_EXPERIMENT} --filter "tags.mlflow.parentRunId = '${s.runIds.at(-1)}'"`,
          `  one run      ${keel} runs show ${s.runIds.at(-1)}`,
          `  compare      ${keel} runs compare ${s.runIds.join(" ")}`,
          `  learners     ${keel} models show models:/${LEARNED_MODEL}@champion; ${keel} runs show ${s.learned.evaluationRunId}`,
          `  search       ${keel} runs list -e ${LEARNED_EXPERIMENT} --filter "tags.mlflow.parentRunId = '${s.searched.searchRunId}'" --order-by "metrics.cv_accuracy_mean DESC"`,
          `  ci gate      ${keel} runs show ${s.searched.gateRunId}   (verdict: ${s.searched.passed ? "pass" : "fail"})`,
          `  pipeline     ${keel} dag; ${keel} status; ${keel} metrics show; ${keel} runs list -e ${PIPELINE_EXPERIMENT}   (keel.yaml, params.yaml, keel.lock)`,
          `  data remote  ${rel}/${DEMO_REMOTE}/   (keel data push filled it; a clone of the project gets the data and pipeline outputs back with ${keel} data pull)`,
          `  train more   ${keel} train --data data/train.parquet --target weather --model rf --cv 5`,
          `  evaluate     ${keel} evaluate models:/${LEARNED_MODEL}@champion --data data/test.parquet`,
          `  rules        ${keel} models show models:/${DEMO_MODEL}@champion`,
          `  alias moves  ${keel} models alias history ${DEMO_MODEL}`,
          `  endpoint     ${keel} endpoint status flights; ${keel} endpoint serve flights --port 8080   (Open Inference Protocol + /invocations)`,
          `  drift        ${relative(process.cwd(), s.flights.driftReport)}   (open in a browser); ${keel} monitor report flights; ${keel} monitor watch flights --reference data/flights-jan-mar.parquet --target delayed --every 1h`,
          `  UI and API   ${keel} server   (web UI at http://127.0.0.1:5055/ ; MLflow REST API there too, MLflow clients work unchanged)`,
          "",
        ].join("\n"),
      );
    }),
  );
}
