/**
 * Dataset versions (`keel data add`) and their lineage, for SQLite and PostgreSQL. Methods take
 * the open transaction first; rows become {@link DatasetVersion} entities here.
 */
import { sql } from "kysely";
import { invalidParam, notFound } from "../errors.js";
import { loadInChunks } from "./batching.js";
import { DATASET_NAME_PATTERN } from "./dataset-names.js";
import type { DatasetSummary, DatasetUsage, DatasetVersion, NewDatasetVersion } from "./dataset-store.js";
import { toRunInfo } from "./entity-mappers.js";
import { DELETED_STAGE } from "./model-stages.js";
import { loadModelVersions } from "./registry-loader.js";
import type { DatasetVersionRow, Executor, SqlBackend } from "./schema.js";

/** A `dataset_versions` row as an entity. */
export function toDatasetVersion(row: DatasetVersionRow): DatasetVersion {
  return {
    name: row.name,
    version: Number(row.version),
    digest: row.digest,
    size: Number(row.size),
    fileCount: Number(row.file_count),
    path: row.path,
    schema: row.schema ?? undefined,
    profile: row.profile ?? undefined,
    gitCommit: row.git_commit ?? undefined,
    description: row.description ?? undefined,
    createdAt: Number(row.created_at),
    userId: row.user_id,
  };
}

function validateNew(v: NewDatasetVersion): void {
  if (typeof v.name !== "string" || !DATASET_NAME_PATTERN.test(v.name)) {
    throw invalidParam(
      `Invalid dataset name '${v.name}': use 1-256 letters, digits, '.', '_' or '-', starting with a letter or digit.`,
    );
  }
  if (typeof v.digest !== "string" || v.digest === "" || v.digest.length > 256) {
    throw invalidParam(`Dataset version of '${v.name}' needs a digest of 1-256 characters.`);
  }
  for (const [field, value] of [
    ["size", v.size],
    ["fileCount", v.fileCount],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw invalidParam(`Dataset version of '${v.name}': ${field} must be an integer >= 0, got ${value}.`);
    }
  }
  if (typeof v.path !== "string" || v.path === "") {
    throw invalidParam(`Dataset version of '${v.name}' needs the path it was added from.`);
  }
}

/** Dataset versions. */
export class DatasetVersionsRepository {
  readonly #backend: SqlBackend;

  constructor(backend: SqlBackend) {
    this.#backend = backend;
  }

  /** Record the next version of a name, or return the newest one when it has the same digest and path. */
  async create(trx: Executor, v: NewDatasetVersion): Promise<DatasetVersion> {
    validateNew(v);
    if (this.#backend === "postgresql") {
      // Versions are numbered max + 1: concurrent creators of one name take turns (SQLite write
      // transactions are already serialised by BEGIN IMMEDIATE).
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`keel-dataset:${v.name}`}, 0))`.execute(trx);
    }
    const latest = await this.#latestRow(trx, v.name);
    if (latest !== undefined && latest.digest === v.digest && latest.path === v.path)
      return toDatasetVersion(latest);
    const row: DatasetVersionRow = {
      name: v.name,
      version: Number(latest?.version ?? 0) + 1,
      digest: v.digest,
      size: v.size,
      file_count: v.fileCount,
      path: v.path,
      schema: v.schema ?? null,
      profile: v.profile ?? null,
      git_commit: v.gitCommit ?? null,
      description: v.description ?? null,
      created_at: Date.now(),
      user_id: v.userId ?? "",
    };
    await trx.insertInto("dataset_versions").values(row).execute();
    return toDatasetVersion(row);
  }

  /** One version; RESOURCE_DOES_NOT_EXIST naming `name@version` when absent. */
  async get(trx: Executor, name: string, version: number): Promise<DatasetVersion> {
    if (!Number.isSafeInteger(version) || version < 1) {
      throw invalidParam(`Invalid dataset version ${version} for '${name}': versions are integers >= 1.`);
    }
    const row = await trx
      .selectFrom("dataset_versions")
      .selectAll()
      .where("name", "=", name)
      .where("version", "=", version)
      .executeTakeFirst();
    if (row === undefined) {
      const latest = await this.#latestRow(trx, name);
      const hint =
        latest === undefined
          ? `dataset '${name}' has no versions; record one with keel data add PATH --name ${name}`
          : `the latest is ${name}@${latest.version}; list them with keel data versions ${name}`;
      throw notFound(`Dataset version ${name}@${version} not found: ${hint}.`);
    }
    return toDatasetVersion(row);
  }

  /** The newest version; RESOURCE_DOES_NOT_EXIST when there is none. */
  async getLatest(trx: Executor, name: string): Promise<DatasetVersion> {
    const row = await this.#latestRow(trx, name);
    if (row === undefined) {
      throw notFound(`Dataset '${name}' has no versions; record one with keel data add PATH --name ${name}.`);
    }
    return toDatasetVersion(row);
  }

  /** Every version of a name, oldest first. */
  async list(trx: Executor, name: string): Promise<DatasetVersion[]> {
    const rows = await trx
      .selectFrom("dataset_versions")
      .selectAll()
      .where("name", "=", name)
      .orderBy("version", "asc")
      .execute();
    return rows.map(toDatasetVersion);
  }

  /** Every dataset name with its newest version, by name. */
  async listDatasets(trx: Executor): Promise<DatasetSummary[]> {
    const rows = await trx
      .selectFrom("dataset_versions")
      .select((eb) => [
        "name",
        eb.fn.max("version").as("latest"),
        eb.fn.max("created_at").as("updated"),
        eb.fn.countAll().as("n"),
      ])
      .groupBy("name")
      .orderBy("name")
      .execute();
    return rows.map((r) => ({
      name: r.name,
      latestVersion: Number(r.latest),
      updatedAt: Number(r.updated),
      versionCount: Number(r.n),
    }));
  }

  /** Runs that logged `name@version` as an input (by digest or Keel version), and their model versions. */
  async findUsage(trx: Executor, name: string, version: number): Promise<DatasetUsage> {
    const v = await this.get(trx, name, version);
    const datasetIds = (
      await trx
        .selectFrom("datasets")
        .select("dataset_uuid")
        .where("name", "=", name)
        .where((eb) => eb.or([eb("digest", "=", v.digest), eb("version", "=", version)]))
        .execute()
    ).map((r) => r.dataset_uuid);
    const runIds = [
      ...new Set(
        (
          await loadInChunks(datasetIds, (chunk) =>
            trx
              .selectFrom("inputs")
              .select("destination_id")
              .where("source_type", "=", "DATASET")
              .where("destination_type", "=", "RUN")
              .where("source_id", "in", chunk)
              .execute(),
          )
        ).map((r) => r.destination_id),
      ),
    ];
    const runs = await loadInChunks(runIds, (chunk) =>
      trx.selectFrom("runs").selectAll().where("run_uuid", "in", chunk).execute(),
    );
    runs.sort((a, b) => Number(b.start_time) - Number(a.start_time) || a.run_uuid.localeCompare(b.run_uuid));
    const versionRows = await loadInChunks(runIds, (chunk) =>
      trx
        .selectFrom("model_versions")
        .selectAll()
        .where("run_id", "in", chunk)
        .where("current_stage", "!=", DELETED_STAGE)
        .execute(),
    );
    versionRows.sort((a, b) => a.name.localeCompare(b.name) || Number(a.version) - Number(b.version));
    return { runs: runs.map(toRunInfo), modelVersions: await loadModelVersions(trx, versionRows) };
  }

  #latestRow(trx: Executor, name: string): Promise<DatasetVersionRow | undefined> {
    return trx
      .selectFrom("dataset_versions")
      .selectAll()
      .where("name", "=", name)
      .orderBy("version", "desc")
      .limit(1)
      .executeTakeFirst();
  }
}
