/**
 * Input limits and their messages, as MLflow words them (mlflow/utils/validation.py), so clients
 * written against MLflow see familiar errors. The server checks the same limits at the edge; the
 * store checks them again because it is also used directly (embedded mode).
 */
import { invalidParam } from "../errors.js";
import type { DatasetInput, Metric, Param, Tag } from "./entities.js";
import type { LogBatch } from "./tracking-store.js";

/** Longest metric, param or tag key. */
export const MAX_ENTITY_KEY_LENGTH = 250;
/** Longest param value. */
export const MAX_PARAM_VAL_LENGTH = 6000;
/** Longest run or experiment tag value. */
export const MAX_TAG_VAL_LENGTH = 5000;
/** Most metrics in one logBatch. */
export const MAX_METRICS_PER_BATCH = 1000;
/** Most params, and most tags, in one logBatch. */
export const MAX_PARAMS_TAGS_PER_BATCH = 100;
/** Most metrics + params + tags in one logBatch. */
export const MAX_ENTITIES_PER_BATCH = 1000;
/** Longest registered model or model version tag key. */
export const MAX_MODEL_REGISTRY_TAG_KEY_LENGTH = 250;
/** Longest registered model or model version tag value. */
export const MAX_MODEL_REGISTRY_TAG_VALUE_LENGTH = 5000;
/** Longest alias name. */
export const MAX_ALIAS_LENGTH = 255;

// Letters and digits of any script, underscore, slash, period, dash, space, colon.
const VALID_NAME = /^[\p{L}\p{N}_/.\- :]*$/u;
const BAD_CHARACTERS_MESSAGE =
  "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/).";
const VALID_ALIAS = /^[\p{L}\p{N}_-]*$/u;
const VERSION_ALIAS = /^[vV]\d+$/;

/** posixpath.normpath for the cases that matter to names. */
function normalizePath(name: string): string {
  const absolute = name.startsWith("/");
  const out: string[] = [];
  for (const part of name.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (part !== ".." || !absolute) out.push(part);
  }
  const joined = out.join("/");
  return absolute ? `/${joined}` : joined || ".";
}

/** A key whose path form differs from itself (`a//b`, `../x`, `/x`) could clash with another. */
function validateName(kind: string, name: string): void {
  if (typeof name !== "string" || name === "") {
    throw invalidParam(`${kind} name cannot be empty. A key name must be provided.`);
  }
  if (!VALID_NAME.test(name)) {
    throw invalidParam(`Invalid ${kind.toLowerCase()} name: '${name}'. ${BAD_CHARACTERS_MESSAGE}`);
  }
  // Without a slash, normalising changes nothing (only "." and ".." are special, and caught below).
  const norm = name.includes("/") ? normalizePath(name) : name;
  if (norm !== name || norm === "." || norm.startsWith("..") || norm.startsWith("/")) {
    throw invalidParam(
      `Invalid ${kind.toLowerCase()} name: '${name}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${norm}'`,
    );
  }
}

/** MLflow's "X 'value' had length N, which exceeded length limit of L". */
export function validateLength(entity: string, limit: number, value: string | null | undefined): void {
  if (value !== null && value !== undefined && value.length > limit) {
    throw invalidParam(
      `${entity} '${value.slice(0, 250)}' had length ${value.length}, which exceeded length limit of ${limit}`,
    );
  }
}

function validateBatchLimit(entity: string, limit: number, length: number): void {
  if (length > limit) {
    throw invalidParam(
      `A batch logging request can contain at most ${limit} ${entity}. Got ${length} ${entity}. Please split up ${entity} across multiple requests and try again.`,
    );
  }
}

/** A metric key: a valid name of at most 250 characters. */
function validateMetricKey(key: string): void {
  validateName("Metric", key);
  validateLength("Metric name", MAX_ENTITY_KEY_LENGTH, key);
}

/** A metric: valid key, a number value, a non-negative integer timestamp, an integer step. */
export function validateMetric(metric: Metric): void {
  validateMetricKey(metric.key);
  validateMetricValues(metric);
}

/** The numbers of a metric whose key is valid. */
function validateMetricValues(metric: Metric): void {
  if (typeof metric.value !== "number") {
    throw invalidParam(
      `Got invalid value ${String(metric.value)} for metric '${metric.key}' (timestamp=${metric.timestamp}). Please specify value as a valid double (64-bit floating point)`,
    );
  }
  if (!Number.isSafeInteger(metric.timestamp) || metric.timestamp < 0) {
    throw invalidParam(
      `Got invalid timestamp ${String(metric.timestamp)} for metric '${metric.key}' (value=${metric.value}). Timestamp must be a nonnegative long (64-bit integer) `,
    );
  }
  if (!Number.isSafeInteger(metric.step)) {
    throw invalidParam(
      `Got invalid step ${String(metric.step)} for metric '${metric.key}' (value=${metric.value}). Step must be a valid long (64-bit integer).`,
    );
  }
}

/** A param: valid key, key <= 250, value <= 6000 characters. */
export function validateParam(param: Param): void {
  validateName("Param", param.key);
  validateLength("Param key", MAX_ENTITY_KEY_LENGTH, param.key);
  if (typeof param.value !== "string") throw invalidParam(`Param '${param.key}' must have a string value.`);
  validateLength("Param value", MAX_PARAM_VAL_LENGTH, param.value);
}

/** A run or experiment tag: valid key, key <= 250, value <= 5000 characters. */
export function validateTag(tag: Tag): void {
  validateName("Tag", tag.key);
  validateLength("Tag key", MAX_ENTITY_KEY_LENGTH, tag.key);
  if (typeof tag.value !== "string") throw invalidParam(`Tag '${tag.key}' must have a string value.`);
  validateLength("Tag value", MAX_TAG_VAL_LENGTH, tag.value);
}

/** A registry tag (models and versions). */
export function validateRegistryTag(kind: "Registered model" | "Model version", tag: Tag): void {
  validateName("Tag", tag.key);
  if (typeof tag.value !== "string") throw invalidParam(`Tag '${tag.key}' must have a string value.`);
  validateLength(`${kind} key`, MAX_MODEL_REGISTRY_TAG_KEY_LENGTH, tag.key);
  validateLength(`${kind} value`, MAX_MODEL_REGISTRY_TAG_VALUE_LENGTH, tag.value);
}

/** A tag key given alone (deletes). */
export function validateTagKey(key: string): void {
  validateName("Tag", key);
}

/** Batch sizes, every item, and no param key twice. */
export function validateLogBatch(batch: LogBatch): void {
  const metrics = batch.metrics ?? [];
  const params = batch.params ?? [];
  const tags = batch.tags ?? [];
  validateBatchLimit("metrics", MAX_METRICS_PER_BATCH, metrics.length);
  validateBatchLimit("params", MAX_PARAMS_TAGS_PER_BATCH, params.length);
  validateBatchLimit("tags", MAX_PARAMS_TAGS_PER_BATCH, tags.length);
  validateBatchLimit(
    "metrics, params, and tags",
    MAX_ENTITIES_PER_BATCH,
    metrics.length + params.length + tags.length,
  );
  // Batches repeat a few keys many times: check each distinct key once, in the same order.
  const validKeys = new Set<string>();
  for (const metric of metrics) {
    if (!validKeys.has(metric.key)) {
      validateMetricKey(metric.key);
      validKeys.add(metric.key);
    }
    validateMetricValues(metric);
  }
  params.forEach(validateParam);
  tags.forEach(validateTag);
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const { key } of params) {
    if (seen.has(key)) dupes.push(key);
    seen.add(key);
  }
  if (dupes.length > 0) {
    throw invalidParam(
      `Duplicate parameter keys have been submitted: ${JSON.stringify(dupes)}. Please ensure the request contains only one param value per param key.`,
    );
  }
}

/** Dataset inputs: required fields present, sizes within MLflow's column limits. */
export function validateDatasetInputs(inputs: DatasetInput[]): void {
  for (const input of inputs) {
    const d = input?.dataset;
    if (!d) throw invalidParam("Dataset input must have a dataset associated with it.");
    for (const field of ["name", "digest", "sourceType", "source"] as const) {
      if (typeof d[field] !== "string" || d[field] === "") {
        throw invalidParam(`Dataset '${d.name ?? ""}' is missing '${field}': every dataset needs ${field}.`);
      }
    }
    validateLength("Dataset name", 500, d.name);
    validateLength("Dataset digest", 256, d.digest);
    validateLength("Dataset source type", 36, d.sourceType);
    validateLength("Dataset source", 65535, d.source);
    validateLength("Dataset schema", 1048575, d.schema);
    validateLength("Dataset profile", 16384, d.profile);
    if (d.version !== undefined && !Number.isSafeInteger(d.version)) {
      throw invalidParam(`Dataset '${d.name}' version must be an integer, got ${String(d.version)}.`);
    }
    for (const tag of input.tags ?? []) {
      validateLength("Input tag key", 255, tag.key);
      validateLength("Input tag value", 500, tag.value);
    }
  }
}

/** Experiment names are non-empty strings. */
export function validateExperimentName(name: string): void {
  if (typeof name !== "string" || name.trim() === "") {
    throw invalidParam(`Invalid experiment name: '${String(name)}'. Give the experiment a non-empty name.`);
  }
  validateLength("Experiment name", 256, name);
}

/** Registered model names are non-empty strings. */
export function validateModelName(name: string): void {
  if (typeof name !== "string" || name === "") {
    throw invalidParam("Registered model name cannot be empty.");
  }
  validateLength("Registered model name", 256, name);
}

/** Model versions are positive integers, given as strings. Returns the number. */
export function parseModelVersion(version: string): number {
  const text = String(version).trim();
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw invalidParam(`Model version must be an integer, got '${String(version)}'`);
  }
  return Number(text);
}

/** Alias names: word characters and dashes; `latest` and `v<number>` are reserved (MLflow). */
export function validateAliasName(alias: string): void {
  if (typeof alias !== "string" || alias === "") {
    throw invalidParam("Registered model alias name cannot be empty.");
  }
  if (!VALID_ALIAS.test(alias)) {
    throw invalidParam(
      `Invalid alias name: '${alias}'. Alias names may only contain alphanumerics, underscores (_) and dashes (-).`,
    );
  }
  validateLength("Registered model alias name", MAX_ALIAS_LENGTH, alias);
  if (alias.toLowerCase() === "latest") {
    throw invalidParam("'latest' alias name (case insensitive) is reserved.");
  }
  if (VERSION_ALIAS.test(alias)) {
    throw invalidParam(`Version alias name '${alias}' is reserved.`);
  }
}
