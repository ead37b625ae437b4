import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { invalidParam, isKeelError, KeelError } from "../errors.js";
import { isHttpUri, loadProject, resolveArtifactRoot, resolveTrackingUri } from "../project/keel-config.js";
import { resolveArtifactLocation } from "../store/artifact-uris.js";
import type { Experiment, Tag } from "../store/entities.js";
import type { MetadataStore } from "../store/metadata-store.js";
import { openMetadataStore } from "../store/open-metadata-store.js";
import { ActiveRun, type EndStatus, flushError, type RunHost } from "./active-run.js";
import {
  type ExitParticipant,
  type ExitReason,
  registerExitParticipant,
  unregisterExitParticipant,
} from "./exit-hooks.js";
import { MetricBuffer } from "./metric-buffer.js";
import { openRunArtifactStore } from "./run-artifacts.js";
import { failStaleRuns } from "./stale-runs.js";
import { currentUser, SYSTEM_TAGS, systemTags } from "./system-tags.js";
import { type StartRunOptions, TRACKER_DEFAULTS, type TrackerOptions } from "./tracker-config.js";

/**
 * Experiment tracking with one API whether runs go to an embedded store (SQLite or
 * PostgreSQL, in this process) or to a remote `keel server` over MLflow's REST API: the
 * tracking URI alone decides (see {@link TrackerOptions.trackingUri}).
 *
 * Writes: params, tags, inputs and artifacts go out when called (await them, errors surface
 * there); metrics are buffered and written with `logBatch`, at most 1,000 per call, when 1,000
 * are waiting, about every second, on `run.end()`, on {@link flush}, and when the process ends
 * (`beforeExit`, SIGINT, SIGTERM: see {@link TrackerOptions.handleProcessExit}). A `process.exit()`
 * call skips that last flush: call `flush()` or `end()` first.
 *
 * @example
 * const tracker = await Tracker.open();                       // .keel/keel.db, or KEEL_TRACKING_URI
 * const run = await tracker.startRun({ experiment: "churn", runName: "gbdt" });
 * await run.logParams({ lr: 0.1, depth: 6 });
 * run.logMetric("auc", 0.91, { step: 1 });
 * await run.end();
 * await tracker.close();
 */
export class Tracker {
  /** The tracking URI in force (absolute SQLite path, `postgresql://...` or `http(s)://...`). */
  readonly trackingUri: string;
  /** "remote" for an http(s) tracking URI, else "embedded". */
  readonly mode: "embedded" | "remote";
  /** The metadata store runs go to. */
  readonly store: MetadataStore;
  readonly #ownsStore: boolean;
  readonly #token: string | undefined;
  readonly #defaultExperiment: string;
  readonly #buffer: MetricBuffer;
  /** Runs started here and not ended, oldest first. */
  readonly #open = new Set<ActiveRun>();
  /** Experiment name -> id, filled as experiments are resolved. */
  readonly #experimentIds = new Map<string, string>();
  readonly #host: RunHost;
  readonly #exit: ExitParticipant | undefined;
  #systemTags: Promise<Tag[]> | undefined;
  #closed = false;

  private constructor(init: {
    trackingUri: string;
    store: MetadataStore;
    ownsStore: boolean;
    token: string | undefined;
    options: TrackerOptions;
  }) {
    const { options } = init;
    this.trackingUri = init.trackingUri;
    this.mode = isHttpUri(init.trackingUri) ? "remote" : "embedded";
    this.store = init.store;
    this.#ownsStore = init.ownsStore;
    this.#token = init.token;
    this.#defaultExperiment =
      options.experiment ?? (process.env.KEEL_EXPERIMENT_NAME || TRACKER_DEFAULTS.experiment);
    const maxBatch = Math.min(
      options.maxBatchSize ?? TRACKER_DEFAULTS.maxBatchSize,
      TRACKER_DEFAULTS.maxBatchSize,
    );
    if (!(maxBatch >= 1))
      throw invalidParam(`maxBatchSize must be between 1 and 1000; got ${options.maxBatchSize}.`);
    this.#buffer = new MetricBuffer((runId, metrics) => this.store.logBatch(runId, { metrics }), {
      maxBatch,
      intervalMs: options.flushIntervalMs ?? TRACKER_DEFAULTS.flushIntervalMs,
    });
    this.#host = {
      store: this.store,
      buffer: this.#buffer,
      openArtifacts: (uri) => openRunArtifactStore(uri, this.trackingUri, this.#token),
      startRun: (o) => this.startRun(o),
      released: (run) => {
        this.#open.delete(run);
      },
    };
    if (options.handleProcessExit !== false) {
      this.#exit = { hasPendingWork: () => this.#hasPendingWork(), finish: (reason) => this.#finish(reason) };
      registerExitParticipant(this.#exit);
    }
  }

  /**
   * Open a tracker. The tracking URI is the explicit option, else env `KEEL_TRACKING_URI`, else
   * `tracking_uri` in the nearest keel.yaml (searched upwards from `cwd`), else
   * `.keel/keel.db` in the project root. An `http(s)://` URI means remote mode (token from the
   * option or env `KEEL_TRACKING_TOKEN`); anything else is opened in-process.
   *
   * @example
   * const local = await Tracker.open();
   * const remote = await Tracker.open({ trackingUri: "http://127.0.0.1:5000" });
   */
  static async open(options: TrackerOptions = {}): Promise<Tracker> {
    const project = loadProject(options.cwd);
    const trackingUri = resolveTrackingUri(project, options.trackingUri);
    const remote = isHttpUri(trackingUri);
    const token = options.token ?? (process.env.KEEL_TRACKING_TOKEN || undefined);
    const artifactRoot = remote
      ? undefined
      : resolveArtifactLocation(resolveArtifactRoot(project, options.artifactRoot));
    const store =
      options.store ?? (await openMetadataStore(trackingUri, { token, defaultArtifactRoot: artifactRoot }));
    return new Tracker({
      trackingUri,
      store,
      ownsStore: options.store === undefined,
      token,
      options,
    });
  }

  /**
   * The experiment called `name`, created when missing (also when another process creates it at
   * the same moment). A deleted experiment of that name is an error, as in MLflow.
   *
   * @example
   * const exp = await tracker.getOrCreateExperiment("churn");
   */
  async getOrCreateExperiment(name: string): Promise<Experiment> {
    this.#assertOpen();
    const found = await this.store.getExperimentByName(name);
    if (found !== null) return this.#remember(activeOnly(found));
    try {
      return await this.createExperiment(name);
    } catch (e) {
      if (!(isKeelError(e) && e.code === "RESOURCE_ALREADY_EXISTS")) throw e;
      const raced = await this.store.getExperimentByName(name);
      if (raced === null) throw e;
      return this.#remember(activeOnly(raced));
    }
  }

  /**
   * Create an experiment; RESOURCE_ALREADY_EXISTS when the name is taken. Its artifacts go to
   * `<artifact root>/<experiment id>` unless `artifactLocation` is given (embedded mode: the
   * tracker's artifact root; remote mode: the server's).
   *
   * @example
   * const exp = await tracker.createExperiment("churn-v2", { tags: { team: "fraud" } });
   */
  async createExperiment(
    name: string,
    options: { artifactLocation?: string; tags?: Record<string, string> } = {},
  ): Promise<Experiment> {
    this.#assertOpen();
    const tags = Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value }));
    const id = await this.store.createExperiment(name, options.artifactLocation, tags);
    return this.#remember(await this.store.getExperiment(id));
  }

  /**
   * Start a RUNNING run. Records MLflow's source tags (`mlflow.user`, `mlflow.source.name`,
   * `mlflow.source.type` = LOCAL, `mlflow.source.git.commit` in a git checkout) plus `keel.pid`
   * and `keel.host` for {@link failStaleRuns}; `tags` may override them.
   *
   * @example
   * const run = await tracker.startRun({ experiment: "churn", runName: "baseline", tags: { team: "fraud" } });
   * const child = await tracker.startRun({ parent: run, runName: "fold-1" });
   */
  async startRun(options: StartRunOptions = {}): Promise<ActiveRun> {
    this.#assertOpen();
    const parent = options.parent ?? (await this.#inheritedParent());
    const parentRunId = typeof parent === "string" ? parent : parent?.id;
    let experimentId: string;
    if (options.experiment !== undefined) experimentId = await this.#experimentIdOf(options.experiment);
    else if (typeof parent === "object") experimentId = parent.experimentId;
    else if (typeof parent === "string") experimentId = (await this.store.getRun(parent)).info.experimentId;
    else experimentId = await this.#experimentIdOf(this.#defaultExperiment);

    this.#systemTags ??= systemTags();
    const userTags = Array.isArray(options.tags)
      ? options.tags
      : Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value }));
    const overridden = new Set(userTags.map((t) => t.key));
    const tags = [...(await this.#systemTags).filter((t) => !overridden.has(t.key)), ...userTags];

    const run = await this.store.createRun({
      experimentId,
      userId: tags.find((t) => t.key === SYSTEM_TAGS.user)?.value ?? currentUser(),
      startTime: Date.now(),
      runName: options.runName,
      tags,
      parentRunId,
    });
    const active = new ActiveRun(this.#host, run);
    this.#open.add(active);
    return active;
  }

  /**
   * The run named by `KEEL_PARENT_RUN_ID`, set by `keel run` for the commands of a pipeline stage,
   * so that a `keel train` or `keel search` inside a stage nests under the stage's run. Ignored
   * when that run is not in this store (the command was pointed at another one).
   */
  async #inheritedParent(): Promise<string | undefined> {
    const id = process.env.KEEL_PARENT_RUN_ID?.trim();
    if (!id) return undefined;
    try {
      await this.store.getRun(id);
      return id;
    } catch (e) {
      if (isKeelError(e) && e.code === "RESOURCE_DOES_NOT_EXIST") return undefined;
      throw e;
    }
  }

  /**
   * Reopen an existing run to log more to it (MLflow's `start_run(run_id=...)`): its status goes
   * back to RUNNING and its `keel.pid` / `keel.host` tags name this process, so
   * {@link failStaleRuns} sees it as alive. A deleted run is refused by the store.
   *
   * @example
   * const search = await tracker.resumeRun(killedRunId);
   * await search.end();
   */
  async resumeRun(runId: string): Promise<ActiveRun> {
    this.#assertOpen();
    await this.store.updateRun(runId, { status: "RUNNING" });
    await this.store.logBatch(runId, {
      tags: (await systemTags()).filter((t) => t.key === SYSTEM_TAGS.pid || t.key === SYSTEM_TAGS.host),
    });
    const active = new ActiveRun(this.#host, await this.store.getRun(runId));
    this.#open.add(active);
    return active;
  }

  /**
   * Run `fn` inside a new run: FINISHED when it returns, FAILED when it throws (the error is
   * rethrown). Returns what `fn` returns.
   *
   * @example
   * const auc = await tracker.withRun({ runName: "cv" }, async (run) => {
   *   run.logMetric("auc", 0.9);
   *   return 0.9;
   * });
   */
  withRun<T>(fn: (run: ActiveRun) => Promise<T> | T): Promise<T>;
  withRun<T>(options: StartRunOptions, fn: (run: ActiveRun) => Promise<T> | T): Promise<T>;
  async withRun<T>(
    a: StartRunOptions | ((run: ActiveRun) => Promise<T> | T),
    b?: (run: ActiveRun) => Promise<T> | T,
  ): Promise<T> {
    const [options, fn] = typeof a === "function" ? [{}, a] : [a, b];
    if (fn === undefined)
      throw invalidParam("withRun needs a function to run: withRun(options, async (run) => ...).");
    const run = await this.startRun(options);
    try {
      const result = await fn(run);
      await run.end("FINISHED");
      return result;
    } catch (e) {
      if (!run.ended) await run.end("FAILED").catch(() => {}); // the caller's error matters more
      throw e;
    }
  }

  /**
   * Write every buffered metric now. Throws (with the store's error code) when some could not
   * be stored since the last report.
   *
   * @example
   * run.logMetric("loss", 0.1);
   * await tracker.flush();
   */
  async flush(): Promise<void> {
    await this.#buffer.flush();
    const failures = [...this.#buffer.takeFailures()];
    const first = failures[0];
    if (first === undefined) return;
    const error = flushError(first[0], first[1]);
    if (failures.length > 1) error.message += ` (and metrics of ${failures.length - 1} other run(s))`;
    throw error;
  }

  /**
   * Mark FAILED the RUNNING runs whose process crashed: started on this host by a process that
   * no longer exists (tags `keel.host`, `keel.pid`), or, with `olderThanMs`, any RUNNING run
   * started longer ago than that. Runs of this process are left alone. Each gets the tag
   * `keel.staleReason`. Returns the ids of the runs it failed.
   *
   * @example
   * const failed = await tracker.failStaleRuns();                         // dead processes on this host
   * const old = await tracker.failStaleRuns({ olderThanMs: 24 * 3600e3 }); // plus anything older than a day
   */
  async failStaleRuns(options: { olderThanMs?: number } = {}): Promise<string[]> {
    this.#assertOpen();
    return (await failStaleRuns(this.store, options)).map((s) => s.run.info.runId);
  }

  /**
   * The artifact store of any run (by id), e.g. to read back what a run logged.
   *
   * @example
   * const files = await (await tracker.artifactsOf(runId)).list();
   */
  async artifactsOf(runId: string): Promise<ArtifactStore> {
    const run = await this.store.getRun(runId);
    return openRunArtifactStore(run.info.artifactUri, this.trackingUri, this.#token);
  }

  /** Runs started by this tracker that have not ended. */
  get openRuns(): readonly ActiveRun[] {
    return [...this.#open];
  }

  /**
   * Flush buffered metrics and release the store (when the tracker opened it). Open runs stay
   * RUNNING: end them first. Throws a flush failure after closing.
   *
   * @example
   * await tracker.close();
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    let failure: unknown;
    try {
      await this.flush();
    } catch (e) {
      failure = e;
    }
    this.#closed = true;
    if (this.#exit !== undefined) unregisterExitParticipant(this.#exit);
    if (this.#ownsStore) await this.store.close();
    if (failure !== undefined) throw failure;
  }

  /** Id of the experiment `name`, created when missing (cached). */
  async #experimentIdOf(name: string): Promise<string> {
    return this.#experimentIds.get(name) ?? (await this.getOrCreateExperiment(name)).experimentId;
  }

  /** Cache an experiment's id by name. */
  #remember(e: Experiment): Experiment {
    this.#experimentIds.set(e.name, e.experimentId);
    return e;
  }

  /** INVALID_STATE after close(). */
  #assertOpen(): void {
    if (this.#closed)
      throw new KeelError("INVALID_STATE", "This Tracker is closed; open a new one with Tracker.open().");
  }

  /** Work left for the exit hooks. */
  #hasPendingWork(): boolean {
    return !this.#closed && (this.#buffer.size > 0 || this.#open.size > 0);
  }

  /**
   * Process exit: end open runs, newest (children) first, with FINISHED (FAILED when the exit
   * code is non-zero) at beforeExit or KILLED on a signal; then flush what is left. Failures
   * become process warnings: nothing is left to retry, so the process can exit.
   */
  async #finish(reason: ExitReason): Promise<void> {
    const failedExit = Number(process.exitCode ?? 0) !== 0;
    const status: EndStatus = reason !== "beforeExit" ? "KILLED" : failedExit ? "FAILED" : "FINISHED";
    for (const run of [...this.#open].reverse()) {
      try {
        await run.end(status);
      } catch (e) {
        warn(`could not end run ${run.id} at process exit: ${(e as Error).message}`);
      }
    }
    try {
      await this.flush();
    } catch (e) {
      warn(`${(e as Error).message} (at process exit)`);
    }
  }
}

/** An experiment runs can go to; a deleted one is refused with the fix. */
function activeOnly(e: Experiment): Experiment {
  if (e.lifecycleStage === "deleted") {
    throw invalidParam(
      `Experiment ${JSON.stringify(e.name)} (id ${e.experimentId}) is deleted; restore it (keel experiments restore ${e.experimentId}) or use another name.`,
    );
  }
  return e;
}

/** A process warning (stderr), for failures nobody is left to catch. */
function warn(message: string): void {
  process.emitWarning(`Keel tracking: ${message}`, { code: "KEEL_TRACKING" });
}
