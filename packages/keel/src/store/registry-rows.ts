/** Lookups of registry rows by their public keys, raising RESOURCE_DOES_NOT_EXIST when absent. */
import { notFound } from "../errors.js";
import { DELETED_STAGE } from "./model-stages.js";
import type { Executor, ModelVersionRow, RegisteredModelRow } from "./schema.js";
import { parseModelVersion, validateModelName } from "./validation.js";

/** The row of a registered model; RESOURCE_DOES_NOT_EXIST when absent. */
export async function getRegisteredModelRow(trx: Executor, name: string): Promise<RegisteredModelRow> {
  validateModelName(name);
  const row = await trx
    .selectFrom("registered_models")
    .selectAll()
    .where("name", "=", name)
    .executeTakeFirst();
  if (!row) throw notFound(`Registered Model with name=${name} not found`);
  return row;
}

/** The row of a live (not deleted) version; RESOURCE_DOES_NOT_EXIST otherwise. */
export async function getModelVersionRow(
  trx: Executor,
  name: string,
  version: string,
): Promise<ModelVersionRow> {
  validateModelName(name);
  const number = parseModelVersion(version);
  const row = await trx
    .selectFrom("model_versions")
    .selectAll()
    .where("name", "=", name)
    .where("version", "=", number)
    .where("current_stage", "!=", DELETED_STAGE)
    .executeTakeFirst();
  if (!row) throw notFound(`Model Version (name=${name}, version=${version}) not found`);
  return row;
}
