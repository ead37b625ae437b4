import { type Command, InvalidArgumentError, Option } from "commander";
import { invalidParam } from "../errors.js";
import type { EndpointSource } from "../serve/endpoints/endpoint-admin.js";
import type { DeployOptions } from "../serve/endpoints/traffic-policy.js";
import { type Endpoint, hasEndpointStore } from "../store/endpoint-store.js";
import { currentUser } from "../track/system-tags.js";
import { parseDuration } from "../util/duration.js";
import { action, examples, intOption } from "./command-kit.js";
import { type CliContext, openCliContext, type StoreOptions, withStoreOptions } from "./context.js";
import { registerFeedbackCommand } from "./feedback.js";
import { formatTime, printFields, printJson, printTable } from "./output.js";
import { byteSize, level, rate } from "./serve.js";

/** Opens the project's store (SQLite, PostgreSQL, or a keel server) and checks it keeps endpoints. */
async function withEndpoints<T>(
  opts: StoreOptions,
  fn: (source: EndpointSource, ctx: CliContext) => Promise<T>,
): Promise<T> {
  const ctx = await openCliContext(opts);
  try {
    const store = ctx.store;
    if (!hasEndpointStore(store)) {
      throw invalidParam(
        `The store at '${ctx.trackingUri}' keeps no endpoints; use a SQLite path, a postgresql:// URI or a keel server's URL.`,
      );
    }
    return await fn({ store, trackingUri: ctx.trackingUri }, ctx);
  } finally {
    await ctx.close();
  }
}

async function logDirOf(name: string, given: string | undefined, ctx: CliContext): Promise<string> {
  if (given) return given;
  const { defaultPredictionLogDir } = await import("../serve/start-model-server.js");
  return defaultPredictionLogDir(name, ctx.project.root);
}

function number(flag: string, min: number, max: number): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === "" || !(n >= min && n <= max))
      throw new InvalidArgumentError(`${flag} must be a number in [${min}, ${max}], got '${v}'`);
    return n;
  };
}

function steps(v: string): number[] {
  const out = v.split(",").map((s) => Number(s.trim()));
  if (out.some((n) => !Number.isFinite(n)))
    throw new InvalidArgumentError(
      `--steps must be comma-separated percentages like 5,25,50,100, got '${v}'`,
    );
  return out;
}

function duration(v: string): number {
  try {
    return parseDuration(v, "--interval");
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

const version = (v: { model: string; version: string } | undefined) => (v ? `${v.model}:${v.version}` : "-");

function policyLine(ep: Endpoint): string {
  const p = ep.policy;
  if (!p.candidate) return `${version(p.stable)} takes all traffic`;
  return `${version(p.stable)} stable, ${version(p.candidate)} ${p.strategy}`;
}

/** Flags of `keel endpoint deploy`. */
interface DeployFlags extends StoreOptions {
  model: string;
  strategy: DeployOptions["strategy"];
  steps: number[];
  interval: number;
  maxErrorRate: number;
  maxP99Ms: number;
  minAccuracyDelta?: number;
  minRequests: number;
  split: number;
  keyHeader: string;
}

function deployOptions(f: DeployFlags): DeployOptions {
  switch (f.strategy) {
    case "canary":
      return {
        strategy: "canary",
        canary: {
          steps: f.steps,
          intervalMs: f.interval,
          maxErrorRate: f.maxErrorRate,
          maxP99Ms: f.maxP99Ms,
          minAccuracyDelta: f.minAccuracyDelta,
          minRequests: f.minRequests,
        },
      };
    case "ab":
      return { strategy: "ab", ab: { split: f.split, keyHeader: f.keyHeader } };
    default:
      return { strategy: f.strategy };
  }
}

function registerCreateListDeploy(group: Command): void {
  const create = withStoreOptions(
    group
      .command("create")
      .argument("<name>", "endpoint name (the model name clients use in /v2/models/{name})")
      .requiredOption(
        "--model <ref>",
        "first version: models:/NAME/VERSION, models:/NAME@ALIAS, runs:/ID/model or a folder",
      )
      .option("--json", "print the endpoint as JSON")
      .description("create an endpoint serving one model version"),
  );
  examples(
    create,
    "keel endpoint create flights --model models:/flights@champion",
    "keel endpoint create churn --model runs:/3f2a.../model --json",
  );
  create.action(
    action(async (name: string, opts: StoreOptions & { model: string; json?: boolean }) => {
      const { createEndpoint } = await import("../serve/endpoints/endpoint-admin.js");
      const ep = await withEndpoints(opts, (s) => createEndpoint(s, name, opts.model, currentUser()));
      if (opts.json) printJson(ep);
      else
        process.stdout.write(
          `Created endpoint '${name}': ${policyLine(ep)}. Serve it with keel endpoint serve ${name}\n`,
        );
    }),
  );

  const list = withStoreOptions(
    group.command("list").option("--json", "print JSON").description("list endpoints and their policies"),
  );
  examples(list, "keel endpoint list", "keel endpoint list --json");
  list.action(
    action(async (opts: StoreOptions & { json?: boolean }) => {
      const eps = await withEndpoints(opts, (s) => s.store.listEndpoints());
      if (opts.json) return printJson(eps);
      printTable(eps, [
        { header: "NAME", value: (e) => e.name },
        { header: "STABLE", value: (e) => version(e.policy.stable) },
        { header: "CANDIDATE", value: (e) => version(e.policy.candidate) },
        { header: "STRATEGY", value: (e) => e.policy.strategy },
        { header: "REVISION", value: (e) => e.revision, align: "right" },
        { header: "UPDATED", value: (e) => formatTime(e.updatedAt) },
      ]);
    }),
  );

  const deploy = withStoreOptions(
    group
      .command("deploy")
      .argument("<name>", "endpoint name")
      .requiredOption("--model <ref>", "version to roll out (aliases are resolved now)")
      .addOption(
        new Option("--strategy <strategy>", "rollout strategy")
          .choices(["blue-green", "canary", "shadow", "ab"])
          .default("blue-green"),
      )
      .option("--steps <list>", "canary: percent of traffic per step", steps, [5, 25, 50, 100])
      .option("--interval <duration>", "canary: time between decisions (2s, 5m, 1h)", duration, 300_000)
      .option(
        "--max-error-rate <rate>",
        "canary: highest error rate that advances",
        number("--max-error-rate", 0, 1),
        0.01,
      )
      .option(
        "--max-p99-ms <ms>",
        "canary: highest p99 inference latency that advances",
        number("--max-p99-ms", 0, 1e9),
        50,
      )
      .option(
        "--min-accuracy-delta <delta>",
        "canary: lowest accuracy(candidate) - accuracy(stable) from feedback that advances",
        number("--min-accuracy-delta", -1, 1),
      )
      .option(
        "--min-requests <n>",
        "canary: fewest candidate requests per interval before deciding",
        intOption("--min-requests", 1),
        100,
      )
      .option("--split <percent>", "ab: percent of keys on the new version", number("--split", 0, 100), 50)
      .option("--key-header <header>", "ab: request header hashed for sticky assignment", "X-User-Id")
      .option("--json", "print the endpoint as JSON")
      .description(
        "roll out a new version: blue-green (switch now), canary (automatic steps), shadow (copies), ab (split by key)",
      ),
  );
  examples(
    deploy,
    "keel endpoint deploy flights --model models:/flights/4 --strategy blue-green",
    "keel endpoint deploy flights --model models:/flights/4 --strategy canary --steps 5,25,50,100 --interval 5m --max-error-rate 0.01 --max-p99-ms 50",
    "keel endpoint deploy flights --model models:/flights@challenger --strategy shadow",
    "keel endpoint deploy flights --model models:/flights/4 --strategy ab --split 50 --key-header X-User-Id",
  );
  deploy.action(
    action(async (name: string, opts: DeployFlags & { json?: boolean }) => {
      const { deployToEndpoint } = await import("../serve/endpoints/endpoint-admin.js");
      const ep = await withEndpoints(opts, (s) =>
        deployToEndpoint(s, name, opts.model, deployOptions(opts), currentUser()),
      );
      if (opts.json) printJson(ep);
      else process.stdout.write(`Endpoint '${name}' revision ${ep.revision}: ${policyLine(ep)}.\n`);
    }),
  );
}

function registerPromoteRollback(group: Command): void {
  for (const verb of ["promote", "rollback"] as const) {
    const cmd = withStoreOptions(
      group
        .command(verb)
        .argument("<name>", "endpoint name")
        .option("--json", "print the endpoint as JSON")
        .description(
          verb === "promote"
            ? "make the candidate the stable version (the old one stays loaded)"
            : "drop the candidate, or switch back to the previous stable version at once",
        ),
    );
    examples(
      cmd,
      `keel endpoint ${verb} flights`,
      verb === "promote"
        ? "keel endpoint promote flights --json   # end a shadow or A/B test in favour of the candidate"
        : "keel endpoint rollback flights --json   # after a bad blue-green switch",
    );
    cmd.action(
      action(async (name: string, opts: StoreOptions & { json?: boolean }) => {
        const admin = await import("../serve/endpoints/endpoint-admin.js");
        const ep = await withEndpoints(opts, (s) =>
          verb === "promote"
            ? admin.promoteEndpoint(s.store, name, currentUser())
            : admin.rollbackEndpoint(s.store, name, currentUser()),
        );
        if (opts.json) printJson(ep);
        else process.stdout.write(`Endpoint '${name}' revision ${ep.revision}: ${policyLine(ep)}.\n`);
      }),
    );
  }
}

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? null : Math.round(x * 10_000) / 100;

/** A read command over an endpoint and its prediction log: `<name> [--log-predictions DIR] [--json]`. */
function logReader(group: Command, verb: string, description: string): Command {
  return withStoreOptions(
    group
      .command(verb)
      .argument("<name>", "endpoint name")
      .option(
        "--log-predictions <dir>",
        "the endpoint's prediction log folder (default .keel/predictions/<name>)",
      )
      .option("--json", "print JSON")
      .description(description),
  );
}

function registerStatusCompare(group: Command): void {
  const status = logReader(
    group,
    "status",
    "policy, traffic split, live figures per version, feedback accuracy, canary progress and events",
  );
  examples(status, "keel endpoint status flights", "keel endpoint status flights --json");
  status.action(
    action(async (name: string, opts: StoreOptions & { json?: boolean; logPredictions?: string }) => {
      const { endpointStatus } = await import("../serve/endpoints/endpoint-admin.js");
      const st = await withEndpoints(opts, async (s, ctx) =>
        endpointStatus(s.store, name, await logDirOf(name, opts.logPredictions, ctx)),
      );
      if (opts.json) return printJson(st);
      printFields({
        endpoint: name,
        revision: st.endpoint.revision,
        policy: policyLine(st.endpoint),
        canary: st.canary
          ? `step ${st.canary.step + 1}/${st.canary.steps.length} at ${st.canary.percent}% since ${formatTime(st.canary.stepStartedAt)}`
          : null,
        server: st.server
          ? `${st.server.url} (pid ${st.server.pid}, revision ${st.server.revision}, ${formatTime(st.server.updatedAt)})`
          : "no running server has published figures",
      });
      process.stdout.write("\n");
      printTable(st.versions, [
        { header: "VERSION", value: (v) => version(v.version) },
        { header: "ROLE", value: (v) => v.role },
        { header: "TRAFFIC%", value: (v) => v.trafficPercent, align: "right" },
        { header: "REQUESTS", value: (v) => v.live?.total.requests, align: "right" },
        { header: "ERRORS", value: (v) => v.live?.total.errors, align: "right" },
        { header: "P50_MS", value: (v) => v.live?.total.p50Ms, align: "right" },
        { header: "P99_MS", value: (v) => v.live?.total.p99Ms, align: "right" },
        { header: "LABELLED", value: (v) => v.feedback?.labelled, align: "right" },
        { header: "ACCURACY%", value: (v) => pct(v.feedback?.accuracy), align: "right" },
      ]);
      process.stdout.write("\n");
      printTable(st.events, [
        { header: "#", value: (e) => e.seq, align: "right" },
        { header: "TIME", value: (e) => formatTime(e.time) },
        { header: "EVENT", value: (e) => e.type },
        { header: "BY", value: (e) => e.actor },
        { header: "WHAT", value: (e) => e.message },
      ]);
    }),
  );

  const compare = logReader(
    group,
    "compare",
    "candidate vs stable from the prediction log: shadow agreement, accuracy per version, A/B z-test",
  );
  examples(compare, "keel endpoint compare flights", "keel endpoint compare flights --json");
  compare.action(
    action(async (name: string, opts: StoreOptions & { json?: boolean; logPredictions?: string }) => {
      const { compareEndpoint } = await import("../serve/endpoints/endpoint-compare.js");
      const c = await withEndpoints(opts, async (s, ctx) =>
        compareEndpoint(s.store, name, await logDirOf(name, opts.logPredictions, ctx)),
      );
      if (opts.json) return printJson(c);
      printFields({
        stable: version(c.stable),
        candidate: version(c.candidate),
        strategy: c.strategy ?? "-",
        "shadow pairs": c.shadow.pairs,
        "label agreement %": pct(c.shadow.labelAgreement),
        "mean |Δprobability|": c.shadow.meanAbsProbabilityDelta,
        "mean |Δprediction|": c.shadow.meanAbsPredictionDelta,
      });
      process.stdout.write("\n");
      printTable(c.versions, [
        { header: "VERSION", value: (v) => `${v.model}:${v.version}` },
        { header: "SHADOW", value: (v) => (v.shadow ? "yes" : "no") },
        { header: "PREDICTIONS", value: (v) => v.predictions, align: "right" },
        { header: "LABELLED", value: (v) => v.labelled, align: "right" },
        { header: "ACCURACY%", value: (v) => pct(v.accuracy), align: "right" },
      ]);
      if (c.abTest) {
        const t = c.abTest.test;
        const [a, b] = c.abTest.arms;
        process.stdout.write(
          `\nA/B (two-proportion z-test on accuracy): A ${pct(t.rateA)}% of ${a?.n}, B ${pct(t.rateB)}% of ${b?.n}, z = ${t.z.toFixed(3)}, p = ${t.pValue.toPrecision(3)}: ${t.significant ? "significant" : "not significant"} at alpha ${t.alpha}\n`,
        );
      }
    }),
  );
}

/** Flags of `keel endpoint serve`. */
interface EndpointServeFlags extends StoreOptions {
  host: string;
  port: number;
  maxBatchSize: number;
  maxBatchWaitMs: number;
  timeoutMs: number;
  bodyLimit: number;
  logPredictions?: string | false;
  sampleRate: number;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  pollMs: number;
}

function registerServe(group: Command): void {
  const cmd = withStoreOptions(
    group
      .command("serve")
      .argument("<name>", "endpoint name")
      .option("--host <host>", "address to bind", "127.0.0.1")
      .option("--port <port>", "port to listen on (0 = any free port)", intOption("--port", 0), 8080)
      .option(
        "--max-batch-size <rows>",
        "most rows per ONNX Runtime run",
        intOption("--max-batch-size", 1),
        64,
      )
      .option(
        "--max-batch-wait-ms <ms>",
        "longest wait for a busy model",
        intOption("--max-batch-wait-ms", 0),
        2,
      )
      .option("--timeout-ms <ms>", "inference timeout per request", intOption("--timeout-ms", 1), 5000)
      .option("--body-limit <size>", "largest request body (413 above it)", byteSize, 8 * 1024 * 1024)
      .option("--log-predictions <dir>", "prediction log folder (default: .keel/predictions/<name>)")
      .option("--no-log-predictions", "do not log predictions")
      .option("--sample-rate <fraction>", "fraction of requests logged, 0..1", rate, 1)
      .option("--log-level <level>", "access log level: debug, info, warn, error, silent", level, "info")
      .option(
        "--poll-ms <ms>",
        "how often the store is checked for a new policy",
        intOption("--poll-ms", 50),
        500,
      )
      .description("serve every version of an endpoint and apply policy changes live (no restart)"),
  );
  examples(
    cmd,
    "keel endpoint serve flights --port 8080",
    "keel endpoint serve flights --host 0.0.0.0 --port 8080 --sample-rate 0.1 --log-level warn",
  );
  cmd.action(
    action(async (name: string, opts: EndpointServeFlags) => {
      const { startEndpointServer } = await import("../serve/endpoints/endpoint-server.js");
      const { serveUntilSignal } = await import("../serve/serve-until-signal.js");
      // The store stays open while serving: the server polls it.
      await withEndpoints(opts, async (source, ctx) => {
        const running = await startEndpointServer({
          endpoint: name,
          source,
          host: opts.host,
          port: opts.port,
          timeoutMs: opts.timeoutMs,
          bodyLimit: opts.bodyLimit,
          batching: { maxBatchSize: opts.maxBatchSize, maxWaitMs: opts.maxBatchWaitMs },
          logLevel: opts.logLevel,
          predictionLogDir:
            opts.logPredictions === false ? false : await logDirOf(name, opts.logPredictions, ctx),
          sampleRate: opts.sampleRate,
          pollMs: opts.pollMs,
          projectRoot: ctx.project.root,
        });
        process.stderr.write(`keel endpoint serve: ${name} on ${running.url} (Ctrl-C to stop)\n`);
        await serveUntilSignal(running, () =>
          process.stderr.write("Stopping: draining in-flight requests...\n"),
        );
      });
    }),
  );
}

/** `keel endpoint ...`: endpoints with blue-green, canary, shadow and A/B rollouts. */
export function registerEndpointCommands(program: Command): void {
  const group = program
    .command("endpoint")
    .description("serving endpoints: several model versions behind one name, rolled out live");
  registerCreateListDeploy(group);
  registerServe(group);
  registerPromoteRollback(group);
  registerStatusCompare(group);
  registerFeedbackCommand(group);
  examples(
    group,
    "keel endpoint create flights --model models:/flights@champion",
    "keel endpoint serve flights --port 8080",
    "keel endpoint deploy flights --model models:/flights/4 --strategy canary --interval 5m",
    "keel endpoint status flights",
    "keel endpoint rollback flights",
  );
}
