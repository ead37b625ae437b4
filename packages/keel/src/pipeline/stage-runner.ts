/**
 * Carrying out one stage of a `keel run`: skip it, restore its outputs from the cache, or run
 * it (outputs deleted first; on success outputs cached, gitignored and the keel.lock entry
 * replaced; on failure nothing saved), recording a nested tracked run either way.
 */
import { randomUUID } from "node:crypto";
import { lstat, mkdir, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { writeAtomic } from "../artifacts/atomic-write.js";
import { isMissing } from "../artifacts/fs-errors.js";
import { restoreContent } from "../data/versioning/checkout-data.js";
import { ensureGitignored } from "../data/versioning/gitignore.js";
import type { StatCache } from "../data/versioning/stat-cache.js";
import { dataTarget, toAbs, type Workspace } from "../data/versioning/workspace.js";
import type { DatasetStore } from "../store/dataset-store.js";
import type { ActiveRun } from "../track/active-run.js";
import { contentAt } from "./content-state.js";
import { execStage } from "./exec-stage.js";
import { type LockedFile, type LockedStage, writeLock } from "./lockfile.js";
import { planStage, type StagePlan } from "./plan-stage.js";
import type { RunReporter, StageOutcome } from "./run-report.js";
import { commandText, type Stage } from "./stage.js";
import { logStageInputs, logStageLogs, logStageMetrics, startStageRun } from "./stage-tracking.js";

/** What a {@link StageRunner} takes from `keel run`'s options. */
export interface StageRunnerOptions {
  /** Run even when nothing changed. */
  readonly force?: boolean | undefined;
  /** Extra environment for the commands. */
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly reporter?: RunReporter | undefined;
  /** Where dataset versions live (for the stage runs' inputs); absent: no inputs logged. */
  readonly store?: DatasetStore | undefined;
}

/** Runs single stages for one `keel run`, sharing the lock, the stat cache and the parent run. */
export class StageRunner {
  readonly warnings: string[] = [];
  readonly #ws: Workspace;
  readonly #stat: StatCache;
  readonly #lock: Map<string, LockedStage>;
  readonly #stageNames: ReadonlySet<string>;
  readonly #parent: ActiveRun | null;
  readonly #options: StageRunnerOptions;
  readonly #logRoot: string;
  /** .gitignore and keel.lock updates, one after the other. */
  #lockWrites: Promise<void> = Promise.resolve();

  constructor(
    ws: Workspace,
    stat: StatCache,
    lock: Map<string, LockedStage>,
    stageNames: ReadonlySet<string>,
    parent: ActiveRun | null,
    options: StageRunnerOptions,
  ) {
    this.#ws = ws;
    this.#stat = stat;
    this.#lock = lock;
    this.#stageNames = stageNames;
    this.#parent = parent;
    this.#options = options;
    this.#logRoot = join(ws.tmpDir, `pipeline-${process.pid}-${randomUUID()}`);
  }

  /** Decide and carry out one stage; never throws (an error fails the stage). */
  async run(stage: Stage, index: number, total: number): Promise<StageOutcome> {
    const startedAt = Date.now();
    const reporter = this.#options.reporter;
    let outcome: StageOutcome;
    try {
      const plan = await planStage(this.#ws, this.#stat, stage, this.#lock.get(stage.name), {
        force: this.#options.force,
      });
      reporter?.stageStarted?.(stage.name, plan.action, plan.reasons, index, total);
      if (plan.action === "skip") outcome = await this.#skip(stage, startedAt, plan.reasons);
      else if (plan.action === "restore")
        outcome =
          (await this.#restore(plan, startedAt)) ??
          (await this.#execute(stage, { ...plan, action: "run" }, startedAt));
      else outcome = await this.#execute(stage, plan, startedAt);
    } catch (e) {
      outcome = {
        name: stage.name,
        result: "failed",
        reasons: [],
        durationMs: Date.now() - startedAt,
        startedAt,
        endedAt: Date.now(),
        error: (e as Error).message,
      };
    }
    reporter?.stageFinished?.(outcome, index, total);
    return outcome;
  }

  /** The stage's nested run (null when untracked), with its params and data inputs. */
  async #startRun(
    stage: Stage,
    how: { skipped?: boolean; restored?: boolean } = {},
  ): Promise<ActiveRun | null> {
    if (this.#parent === null) return null;
    const run = await startStageRun(this.#parent, stage, how);
    if (this.#options.store !== undefined) await logStageInputs(this.#ws, this.#options.store, run, stage);
    return run;
  }

  /** A skipped stage's outcome; `reasons` is empty unless it is frozen. */
  async #skip(stage: Stage, startedAt: number, reasons: StageOutcome["reasons"]): Promise<StageOutcome> {
    const run = await this.#startRun(stage, { skipped: true });
    if (run !== null) {
      this.warnings.push(...(await logStageMetrics(this.#ws, run, stage)));
      await run.end("FINISHED");
    }
    return {
      name: stage.name,
      result: "skipped",
      reasons,
      durationMs: Date.now() - startedAt,
      startedAt,
      endedAt: Date.now(),
      runId: run?.id,
    };
  }

  /** Put recorded outputs back from the cache; null when that fails (the stage then runs). */
  async #restore(plan: StagePlan, startedAt: number): Promise<StageOutcome | null> {
    const { stage } = plan;
    try {
      for (const f of plan.restore) {
        await restoreContent(
          this.#ws,
          dataTarget(this.#ws, f.path, this.#ws.root),
          { digest: f.hash.value, isdir: f.meta.isdir, size: f.meta.size },
          { force: true, label: `output ${f.path} of stage '${stage.name}'` },
        );
      }
    } catch (e) {
      this.warnings.push(
        `stage '${stage.name}': could not restore its outputs from the cache (${(e as Error).message}); running it instead`,
      );
      return null;
    }
    const run = await this.#startRun(stage, { skipped: true, restored: true });
    if (run !== null) {
      this.warnings.push(...(await logStageMetrics(this.#ws, run, stage)));
      await run.end("FINISHED");
    }
    const restored = plan.restore.map((f) => f.path);
    return {
      name: stage.name,
      result: "restored",
      reasons: plan.reasons,
      durationMs: Date.now() - startedAt,
      startedAt,
      endedAt: Date.now(),
      restored,
      runId: run?.id,
    };
  }

  async #execute(stage: Stage, plan: StagePlan, startedAt: number): Promise<StageOutcome> {
    const ws = this.#ws;
    const run = await this.#startRun(stage);
    const finish = async (ok: boolean, extra: Partial<StageOutcome>): Promise<StageOutcome> => {
      if (run !== null) await run.end(ok ? "FINISHED" : "FAILED");
      const endedAt = Date.now();
      return {
        name: stage.name,
        result: ok ? "ran" : "failed",
        reasons: plan.reasons,
        durationMs: endedAt - startedAt,
        startedAt,
        endedAt,
        runId: run?.id,
        ...extra,
      };
    };
    try {
      const missingDep = [...plan.deps].find(([, c]) => c === null)?.[0];
      if (missingDep !== undefined) return await finish(false, { error: `dep '${missingDep}' is missing` });
      // Delete outputs first, as DVC does: a command that fails to write one cannot leave an old
      // copy behind. `persist: true` outputs stay (a stage that updates its own checkpoint).
      for (const o of stage.outputs) {
        if (!o.persist) await rm(toAbs(ws, o.path), { recursive: true, force: true });
        await mkdir(dirname(toAbs(ws, o.path)), { recursive: true });
      }
      const logDir = join(this.#logRoot, stage.name);
      const result = await execStage(stage, {
        root: ws.root,
        env: {
          ...process.env,
          ...this.#options.env,
          KEEL_STAGE: stage.name,
          ...(this.#parent ? { KEEL_PIPELINE_RUN_ID: this.#parent.id } : {}),
          ...(run ? { KEEL_STAGE_RUN_ID: run.id, KEEL_PARENT_RUN_ID: run.id } : {}),
        },
        logDir,
        echo: (stream, chunk) => this.#options.reporter?.output?.(stage.name, stream, chunk),
      });
      if (run !== null) await logStageLogs(run, result.stdoutPath, result.stderrPath);
      if (!result.ok) {
        const why =
          result.error ??
          (result.signal !== null ? `killed by ${result.signal}` : `exit code ${result.exitCode}`);
        return await finish(false, { exitCode: result.exitCode, error: `command failed (${why})` });
      }
      if (stage.command.kind === "builtin" && stage.command.stdoutTo !== null) {
        await writeAtomic(toAbs(ws, stage.command.stdoutTo), await readFile(result.stdoutPath), ws.tmpDir);
      }
      const missing = await this.#missingOutputs(stage);
      if (missing.length > 0) {
        return await finish(false, {
          exitCode: 0,
          error: `the command succeeded but did not write ${missing.map((p) => `'${p}'`).join(", ")}; fix the command or the outs: list`,
        });
      }
      await this.#record(stage, plan);
      if (run !== null) this.warnings.push(...(await logStageMetrics(ws, run, stage)));
      return await finish(true, { exitCode: 0 });
    } catch (e) {
      return await finish(false, { error: (e as Error).message });
    } finally {
      await rm(join(this.#logRoot, stage.name), { recursive: true, force: true });
    }
  }

  async #missingOutputs(stage: Stage): Promise<string[]> {
    const missing: string[] = [];
    for (const o of stage.outputs) {
      await lstat(toAbs(this.#ws, o.path)).catch((e: unknown) => {
        if (!isMissing(e)) throw e;
        missing.push(o.path);
      });
    }
    return missing;
  }

  /** Save the outputs to the cache and replace the stage's keel.lock entry. */
  async #record(stage: Stage, plan: StagePlan): Promise<void> {
    const ws = this.#ws;
    const outs: LockedFile[] = [];
    for (const o of stage.outputs) {
      const content = await contentAt(ws, this.#stat, o.path, {
        cache: o.cache ? ws.cache : undefined,
        cacheFlag: o.cache,
      });
      if (content === null) throw new Error(`output '${o.path}' disappeared while it was being saved`);
      outs.push(content);
    }
    const params: Record<string, Record<string, unknown>> = {};
    for (const p of stage.params) params[p.file] = { ...params[p.file], [p.key]: p.value };
    this.#lock.set(stage.name, {
      cmd: commandText(stage.command),
      wdir: stage.wdir,
      deps: [...plan.deps.values()].filter((d): d is LockedFile => d !== null),
      params,
      outs,
    });
    // Stages finishing together queue here: .gitignore and keel.lock are read-modify-write files.
    // Entries of stages no longer in keel.yaml are dropped.
    const write = this.#lockWrites.then(async () => {
      for (const o of stage.outputs) if (o.cache) await ensureGitignored(ws.root, o.path, ws.tmpDir);
      for (const name of this.#lock.keys()) if (!this.#stageNames.has(name)) this.#lock.delete(name);
      await writeLock(ws.root, this.#lock, ws.tmpDir);
    });
    this.#lockWrites = write.catch(() => undefined);
    await write;
  }
}
