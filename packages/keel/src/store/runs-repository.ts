/** Runs: create, read, update, delete/restore, tag deletion. Methods take the open transaction first. */
import { randomUUID } from "node:crypto";
import { invalidParam, notFound } from "../errors.js";
import { appendToUriPath } from "./artifact-uris.js";
import { RUN_STATUSES, type Run, type RunInfo, type RunStatus, type Tag } from "./entities.js";
import { toRunInfo } from "./entity-mappers.js";
import { assertExperimentActive, type ExperimentsRepository } from "./experiments-repository.js";
import { loadRuns } from "./run-loader.js";
import { generateRunName } from "./run-names.js";
import { PARENT_RUN_ID_TAG, RUN_NAME_TAG } from "./run-tags.js";
import type { Executor, RunRow } from "./schema.js";
import type { CreateRunOptions } from "./tracking-store.js";
import { validateLength, validateTag, validateTagKey } from "./validation.js";

/** Folder under a run's artifact root where its artifacts live (MLflow). */
const ARTIFACTS_FOLDER = "artifacts";

/** The row of a run; RESOURCE_DOES_NOT_EXIST when absent. */
export async function getRunRow(trx: Executor, runId: string): Promise<RunRow> {
  const row = await trx
    .selectFrom("runs")
    .selectAll()
    .where("run_uuid", "=", String(runId))
    .executeTakeFirst();
  if (!row) throw notFound(`Run with id=${runId} not found`);
  return row;
}

/** MLflow's check before any write to a run. */
export function assertRunActive(row: Pick<RunRow, "run_uuid" | "lifecycle_stage">): void {
  if (row.lifecycle_stage !== "active") {
    throw invalidParam(
      `The run ${row.run_uuid} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`,
    );
  }
}

function assertStatus(status: string): asserts status is RunStatus {
  if (!(RUN_STATUSES as readonly string[]).includes(status)) {
    throw invalidParam(`Invalid run status '${status}'. Use one of ${RUN_STATUSES.join(", ")}.`);
  }
}

/** Insert or overwrite run tags, last value winning when a key repeats; rows go in key order. */
export async function upsertRunTags(trx: Executor, runId: string, tags: Tag[]): Promise<void> {
  const byKey = new Map(tags.map((t) => [t.key, t.value]));
  if (byKey.size === 0) return;
  const keys = [...byKey.keys()].sort();
  await trx
    .insertInto("tags")
    .values(keys.map((key) => ({ run_uuid: runId, key, value: byKey.get(key)! })))
    .onConflict((oc) =>
      oc.columns(["run_uuid", "key"]).doUpdateSet({ value: (eb) => eb.ref("excluded.value") }),
    )
    .execute();
}

/** Runs and their lifecycle. */
export class RunsRepository {
  readonly #experiments: ExperimentsRepository;

  constructor(experiments: ExperimentsRepository) {
    this.#experiments = experiments;
  }

  /**
   * Create a RUNNING run: a 32-hex id, a generated name when none is given, the name and parent
   * mirrored as `mlflow.runName` / `mlflow.parentRunId` tags, artifacts under the experiment's.
   */
  async create(trx: Executor, options: CreateRunOptions): Promise<Run> {
    const tags = options.tags ?? [];
    tags.forEach(validateTag);
    const startTime = options.startTime ?? Date.now();
    if (!Number.isSafeInteger(startTime) || startTime < 0) {
      throw invalidParam(`Invalid start_time ${String(startTime)}: use ms since the epoch.`);
    }
    const experiment = await this.#experiments.getRow(trx, options.experimentId);
    assertExperimentActive(experiment);

    const nameTag = tags.findLast((t) => t.key === RUN_NAME_TAG)?.value;
    if (options.runName && nameTag && options.runName !== nameTag) {
      throw invalidParam(
        `Both 'run_name' argument and '${RUN_NAME_TAG}' tag are specified, but with different values (run_name='${options.runName}', ${RUN_NAME_TAG}='${nameTag}').`,
      );
    }
    const runName = options.runName || nameTag || generateRunName();
    validateLength("Run name", 250, runName);
    const parentTag = tags.findLast((t) => t.key === PARENT_RUN_ID_TAG)?.value;
    const parentRunId = options.parentRunId || parentTag || null;
    if (parentRunId !== null) await getRunRow(trx, parentRunId);

    const runId = randomUUID().replaceAll("-", "");
    await trx
      .insertInto("runs")
      .values({
        run_uuid: runId,
        run_name: runName,
        experiment_id: experiment.experiment_id,
        user_id: options.userId ?? "",
        status: "RUNNING",
        start_time: startTime,
        end_time: null,
        deleted_time: null,
        artifact_uri: appendToUriPath(experiment.artifact_location, runId, ARTIFACTS_FOLDER),
        lifecycle_stage: "active",
        parent_run_id: parentRunId,
        source_type: "UNKNOWN",
        source_name: "",
        entry_point_name: "",
        source_version: "",
      })
      .execute();
    const mirrored: Tag[] = [{ key: RUN_NAME_TAG, value: runName }];
    if (parentRunId !== null) mirrored.push({ key: PARENT_RUN_ID_TAG, value: parentRunId });
    await upsertRunTags(trx, runId, [...tags, ...mirrored]);
    return (await loadRuns(trx, [await getRunRow(trx, runId)]))[0]!;
  }

  /** A whole run. */
  async get(trx: Executor, runId: string): Promise<Run> {
    return (await loadRuns(trx, [await getRunRow(trx, runId)]))[0]!;
  }

  /** Change status, end time or name (the name tag follows) of an active run. */
  async update(
    trx: Executor,
    runId: string,
    update: { status?: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo> {
    const row = await getRunRow(trx, runId);
    assertRunActive(row);
    const changes: Partial<Pick<RunRow, "status" | "end_time" | "run_name">> = {};
    if (update.status !== undefined && update.status !== null) {
      assertStatus(update.status);
      changes.status = update.status;
    }
    if (update.endTime !== undefined && update.endTime !== null) {
      if (!Number.isSafeInteger(update.endTime) || update.endTime < 0) {
        throw invalidParam(`Invalid end_time ${String(update.endTime)}: use ms since the epoch.`);
      }
      changes.end_time = update.endTime;
    }
    if (update.runName) {
      validateLength("Run name", 250, update.runName);
      changes.run_name = update.runName;
      await upsertRunTags(trx, row.run_uuid, [{ key: RUN_NAME_TAG, value: update.runName }]);
    }
    if (Object.keys(changes).length > 0) {
      await trx.updateTable("runs").set(changes).where("run_uuid", "=", row.run_uuid).execute();
    }
    return toRunInfo({ ...row, ...changes });
  }

  /** Soft-delete a run. */
  async delete(trx: Executor, runId: string): Promise<void> {
    const row = await getRunRow(trx, runId);
    await trx
      .updateTable("runs")
      .set({ lifecycle_stage: "deleted", deleted_time: Date.now() })
      .where("run_uuid", "=", row.run_uuid)
      .execute();
  }

  /** Undo a soft delete. */
  async restore(trx: Executor, runId: string): Promise<void> {
    const row = await getRunRow(trx, runId);
    await trx
      .updateTable("runs")
      .set({ lifecycle_stage: "active", deleted_time: null })
      .where("run_uuid", "=", row.run_uuid)
      .execute();
  }

  /** Delete one tag of an active run; RESOURCE_DOES_NOT_EXIST when it is not set. */
  async deleteTag(trx: Executor, runId: string, key: string): Promise<void> {
    validateTagKey(key);
    const row = await getRunRow(trx, runId);
    assertRunActive(row);
    const deleted = await trx
      .deleteFrom("tags")
      .where("run_uuid", "=", row.run_uuid)
      .where("key", "=", key)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) {
      throw notFound(`No tag with name: ${key} in run with id ${runId}`);
    }
    if (key === PARENT_RUN_ID_TAG) {
      await trx
        .updateTable("runs")
        .set({ parent_run_id: null })
        .where("run_uuid", "=", row.run_uuid)
        .execute();
    }
  }
}
