import type { Command } from "commander";
import { loadProject, resolveArtifactRoot, resolveTrackingUri } from "../project/keel-config.js";
import { action, examples, intOption } from "./command-kit.js";

/** `keel server`: the tracking + registry server (MLflow REST API 2.0 compatible). */
export function registerServerCommand(program: Command): void {
  const cmd = program
    .command("server")
    .description("serve the tracking store and registry over MLflow's REST API (and the UI)")
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--port <port>", "port to listen on (0 = any free port)", intOption("--port", 0), 5055)
    .option("--backend-store-uri <uri>", "SQLite path or postgresql://... (default: the project's store)")
    .option("--artifacts-destination <uri>", "artifact root folder (default: the project's .keel/artifacts)");
  examples(
    cmd,
    "keel server",
    "keel server --host 0.0.0.0 --port 5055   # set KEEL_SERVER_TOKEN first",
    "MLFLOW_TRACKING_URI=http://127.0.0.1:5055 python train.py   # MLflow's client, unchanged",
  );
  cmd.action(
    action(
      async (opts: {
        host: string;
        port: number;
        backendStoreUri?: string;
        artifactsDestination?: string;
      }) => {
        // Loaded here, not at the top: Fastify costs startup time every other command should not pay.
        const { startServer } = await import("../server/start-server.js");
        const project = loadProject();
        const server = await startServer({
          host: opts.host,
          port: opts.port,
          backendStoreUri: resolveTrackingUri(project, opts.backendStoreUri),
          artifactsDestination: resolveArtifactRoot(project, opts.artifactsDestination),
          token: process.env.KEEL_SERVER_TOKEN || undefined,
        });
        process.stdout.write(`Keel server listening on ${server.url}  (Ctrl-C to stop)\n`);
        await new Promise<void>((done) => {
          const stop = () => {
            process.stdout.write("Stopping: draining requests...\n");
            void server.close().then(done);
          };
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
        });
      },
    ),
  );
}
