/**
 * Model aliases (`champion` -> 3). Aliases are mutable, so every move is appended to
 * `alias_history` in the same transaction as the move itself.
 */
import { notFound } from "../errors.js";
import type { AliasEvent, ModelVersion } from "./entities.js";
import { toAliasEvent } from "./entity-mappers.js";
import { loadModelVersions } from "./registry-loader.js";
import { getModelVersionRow, getRegisteredModelRow } from "./registry-rows.js";
import type { Executor } from "./schema.js";
import { validateAliasName } from "./validation.js";

/** The version row an alias currently points at, or undefined when it is unset. */
function aliasVersion(trx: Executor, name: string, alias: string) {
  return trx
    .selectFrom("registered_model_aliases")
    .select("version")
    .where("name", "=", name)
    .where("alias", "=", alias)
    .executeTakeFirst();
}

async function recordMove(
  trx: Executor,
  name: string,
  alias: string,
  from: number | null,
  to: number | null,
  userId: string,
): Promise<void> {
  await trx
    .insertInto("alias_history")
    .values({ name, alias, from_version: from, to_version: to, timestamp: Date.now(), user_id: userId })
    .execute();
}

/** Remove every alias pointing at one version (the version is being deleted), recording each. */
export async function dropAliasesOfVersion(
  trx: Executor,
  name: string,
  version: number,
  userId = "",
): Promise<void> {
  const aliases = await trx
    .selectFrom("registered_model_aliases")
    .select("alias")
    .where("name", "=", name)
    .where("version", "=", version)
    .execute();
  for (const { alias } of aliases) {
    await trx
      .deleteFrom("registered_model_aliases")
      .where("name", "=", name)
      .where("alias", "=", alias)
      .execute();
    await recordMove(trx, name, alias, version, null, userId);
  }
}

/** Aliases and their history. */
export class ModelAliasesRepository {
  /** Point `alias` at `version` (which must exist); a real move is recorded. */
  async set(trx: Executor, name: string, alias: string, version: string, userId = ""): Promise<void> {
    validateAliasName(alias);
    const target = await getModelVersionRow(trx, name, version);
    const current = await aliasVersion(trx, target.name, alias);
    if (current?.version === target.version) return;
    await trx
      .insertInto("registered_model_aliases")
      .values({ name: target.name, alias, version: target.version })
      .onConflict((oc) => oc.columns(["name", "alias"]).doUpdateSet({ version: target.version }))
      .execute();
    await recordMove(trx, target.name, alias, current?.version ?? null, target.version, userId);
  }

  /** Remove an alias; removing an unset alias is a no-op (MLflow), otherwise the removal is recorded. */
  async delete(trx: Executor, name: string, alias: string, userId = ""): Promise<void> {
    validateAliasName(alias);
    const model = await getRegisteredModelRow(trx, name);
    const current = await aliasVersion(trx, model.name, alias);
    if (!current) return;
    await trx
      .deleteFrom("registered_model_aliases")
      .where("name", "=", model.name)
      .where("alias", "=", alias)
      .execute();
    await recordMove(trx, model.name, alias, current.version, null, userId);
  }

  /** The version an alias points at; RESOURCE_DOES_NOT_EXIST when the alias is unset. */
  async getVersion(trx: Executor, name: string, alias: string): Promise<ModelVersion> {
    validateAliasName(alias);
    const model = await getRegisteredModelRow(trx, name);
    const current = await aliasVersion(trx, model.name, alias);
    if (!current)
      throw notFound(`Registered model alias ${alias} not found for model '${name}'. Set it first.`);
    const row = await getModelVersionRow(trx, model.name, String(current.version));
    return (await loadModelVersions(trx, [row]))[0]!;
  }

  /** Every move of the model's aliases (or of one alias), oldest first. */
  async history(trx: Executor, name: string, alias?: string): Promise<AliasEvent[]> {
    const model = await getRegisteredModelRow(trx, name);
    let query = trx.selectFrom("alias_history").selectAll().where("name", "=", model.name);
    if (alias !== undefined) query = query.where("alias", "=", alias);
    const rows = await query.orderBy("timestamp").orderBy("id").execute();
    return rows.map(toAliasEvent);
  }
}
