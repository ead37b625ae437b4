/**
 * Zod building blocks shared by the MLflow route tables. They describe the wire types of
 * MLflow's protobuf messages; `request-parsing.ts` first coerces query strings and legacy
 * encodings (int64 as strings, single values for repeated fields) to these types.
 */
import { z } from "zod";
import type { ViewType } from "../store/entities.js";

/** A required string: MLflow treats `""` like a missing value. */
export const requiredString = z.string().min(1);

/** An int64 on the wire (timestamps, steps): a JSON number; legacy clients' strings are coerced. */
export const int64 = z.int();

/**
 * A protobuf `double`: a JSON number, or one of the strings protobuf's JSON mapping uses for the
 * values JSON cannot express (MLflow's clients send NaN metrics as `"NaN"`).
 */
export const double = z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])]);

/** A `{key, value}` pair (RunTag, Param, ExperimentTag, RegisteredModelTag, ModelVersionTag). */
export const keyValue = z.object({ key: requiredString, value: z.string().default("") });

/** A repeated string field (query strings repeat the key: `experiment_ids=1&experiment_ids=2`). */
export const stringList = z.array(z.string());

const VIEW_TYPE_NAMES = ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"] as const;

/** MLflow's `ViewType` enum: its name, or its protobuf number (1, 2, 3). */
export const viewType = z.union([z.enum(VIEW_TYPE_NAMES), z.int().min(1).max(3)]);

/** Convert a parsed {@link viewType} to the store's name; undefined stays undefined (store default). */
export function toViewType(v: z.output<typeof viewType> | undefined): ViewType | undefined {
  if (v === undefined) return undefined;
  return typeof v === "number" ? VIEW_TYPE_NAMES[v - 1] : v;
}

/** A `max_results` field bounded like MLflow bounds it for this search. */
export function maxResults(max: number) {
  return z.int().min(1).max(max);
}

/** A `page_token` field. */
export const pageToken = z.string();
