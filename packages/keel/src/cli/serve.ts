import { type Command, InvalidArgumentError } from "commander";
import { parseByteSize } from "../serve/serve-config.js";
import { action, examples, intOption } from "./command-kit.js";
import { openCliContext, type StoreOptions, withStoreOptions } from "./context.js";

/** Flags of `keel serve`. */
interface ServeFlags extends StoreOptions {
  host: string;
  port: number;
  workers: number;
  maxBatchSize: number;
  maxBatchWaitMs: number;
  bodyLimit: number;
  timeoutMs: number;
  logPredictions?: string | false;
  sampleRate: number;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  name?: string;
}

/** Parses `--body-limit` sizes (8mb, 512kb, bytes). */
export function byteSize(value: string): number {
  const n = parseByteSize(value);
  if (!Number.isFinite(n))
    throw new InvalidArgumentError(`--body-limit must be a size like 8mb, 512kb or 1048576, got '${value}'`);
  return n;
}

/** Parses `--sample-rate` (0..1). */
export function rate(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1))
    throw new InvalidArgumentError(`--sample-rate must be between 0 and 1, got '${value}'`);
  return n;
}

/** Parses `--log-level`. */
export function level(value: string): ServeFlags["logLevel"] {
  const levels = ["debug", "info", "warn", "error", "silent"];
  if (!levels.includes(value))
    throw new InvalidArgumentError(`--log-level must be one of ${levels.join(", ")}`);
  return value as ServeFlags["logLevel"];
}

/** `keel serve MODEL_REF`: the Open Inference Protocol + MLflow scoring server. */
export function registerServeCommand(program: Command): void {
  const cmd = withStoreOptions(
    program
      .command("serve")
      .argument(
        "<model-ref>",
        "model to serve: models:/NAME/VERSION, models:/NAME@ALIAS, runs:/ID/model or a folder",
      )
      .description(
        "serve a model over the Open Inference Protocol (KServe V2) and MLflow's /invocations, with micro-batching, metrics and a prediction log",
      )
      .option("--host <host>", "address to bind", "127.0.0.1")
      .option("--port <port>", "port to listen on (0 = any free port)", intOption("--port", 0), 8080)
      .option("--workers <n>", "processes sharing the port (node:cluster)", intOption("--workers", 1), 1)
      .option(
        "--max-batch-size <rows>",
        "most rows merged into one ONNX Runtime run",
        intOption("--max-batch-size", 1),
        64,
      )
      .option(
        "--max-batch-wait-ms <ms>",
        "longest a request waits for a busy model before another run starts",
        intOption("--max-batch-wait-ms", 0),
        2,
      )
      .option("--body-limit <size>", "largest request body (413 above it)", byteSize, 8 * 1024 * 1024)
      .option(
        "--timeout-ms <ms>",
        "inference timeout per request (503 after it)",
        intOption("--timeout-ms", 1),
        5000,
      )
      .option("--log-predictions <dir>", "prediction log folder (default: .keel/predictions/<model>)")
      .option("--no-log-predictions", "do not log predictions")
      .option("--sample-rate <fraction>", "fraction of requests logged, 0..1", rate, 1)
      .option("--log-level <level>", "access log level: debug, info, warn, error, silent", level, "info")
      .option(
        "--name <name>",
        "name clients use in /v2/models/{name} (default: the registered or package name)",
      ),
  );
  examples(
    cmd,
    "keel serve models:/flights@champion",
    "keel serve models:/flights/3 --port 9000 --workers 2 --log-level warn",
    "keel serve ./model --log-predictions /var/log/keel/flights --sample-rate 0.1",
    `curl -s localhost:8080/v2/models/flights/infer -d '{"inputs":[{"name":"distance","shape":[1],"datatype":"FP32","data":[500]}, ...]}'`,
    `curl -s localhost:8080/invocations -H 'Content-Type: application/json' -d '{"dataframe_records":[{"distance":500, ...}]}'`,
  );
  cmd.action(
    action(async (ref: string, opts: ServeFlags) => {
      // Loaded here: Fastify and ONNX Runtime cost startup time every other command should not pay.
      const { resolveServedPackage } = await import("../serve/resolve-served-package.js");
      const { JsonLog } = await import("../serve/http/access-log.js");
      const { defaultPredictionLogDir } = await import("../serve/start-model-server.js");
      const { parseManifest } = await import("@keel/runtime");
      const { readFile } = await import("node:fs/promises");
      const { join } = await import("node:path");
      const pkg = await resolveServedPackage(ref, () => openCliContext(opts));
      try {
        const manifest = parseManifest(
          await readFile(join(pkg.dir, "model.json"), "utf8"),
          join(pkg.dir, "model.json"),
        );
        const name = opts.name ?? pkg.name ?? manifest.name;
        const options = {
          modelDir: pkg.dir,
          name,
          version: pkg.version,
          host: opts.host,
          port: opts.port,
          bodyLimit: opts.bodyLimit,
          timeoutMs: opts.timeoutMs,
          batching: { maxBatchSize: opts.maxBatchSize, maxWaitMs: opts.maxBatchWaitMs },
          logLevel: opts.logLevel,
          predictionLogDir:
            opts.logPredictions === false ? false : (opts.logPredictions ?? defaultPredictionLogDir(name)),
          sampleRate: opts.sampleRate,
        } as const;
        const log = new JsonLog(opts.logLevel);
        const { serveUntilSignal } = await import("../serve/serve-until-signal.js");
        const stopping = () => process.stderr.write("Stopping: draining in-flight requests...\n");
        if (opts.workers > 1) {
          const { startServeCluster } = await import("../serve/cluster-serve.js");
          const running = await startServeCluster(options, opts.workers, log);
          process.stderr.write(
            `keel serve: ${name} on ${running.url} with ${opts.workers} workers (Ctrl-C to stop)\n`,
          );
          await serveUntilSignal(running, stopping);
        } else {
          const { startModelServer } = await import("../serve/start-model-server.js");
          const running = await startModelServer(options);
          process.stderr.write(
            `keel serve: ${name} version ${running.model.version} on ${running.url} (Ctrl-C to stop)\n`,
          );
          await serveUntilSignal(running, stopping);
        }
      } finally {
        await pkg.cleanup();
      }
    }),
  );
}
