import { z } from "zod";
import { invalidParam } from "../../errors.js";
import type { Transformer } from "../core/capabilities.js";
import { Estimator } from "../core/estimator.js";
import { registerEstimators } from "../core/registry.js";
import { numericColumn, type Table } from "../core/table.js";
import type { EstimatorTags } from "../core/tags.js";
import { checkNonEmpty, mapColumns } from "./column-map.js";

/** A calendar part extracted from a datetime. */
export type DatetimePart = "year" | "month" | "day" | "day_of_week" | "hour" | "minute";

/** Params of {@link DatetimePartsExtractor}. */
export interface DatetimePartsParams {
  /** Parts to extract, each becoming a column `column_part`. */
  readonly parts: readonly DatetimePart[];
}

const PARTS = ["year", "month", "day", "day_of_week", "hour", "minute"] as const;
const DEFAULTS: DatetimePartsParams = { parts: ["month", "day_of_week", "hour"] };
const SCHEMA = z.strictObject({ parts: z.array(z.enum(PARTS)).min(1) });

/** Learned state: the datetime columns seen at fit time. */
export interface DatetimePartsState {
  /** Input columns in order. */
  readonly columns: string[];
}

const MS_PER_DAY = 86_400_000;

/**
 * Replaces each datetime column (epoch ms, as DuckDB gives them: wall-clock time stored as UTC,
 * so no time zone is applied) with calendar parts: month 1-12, day 1-31, day_of_week with
 * Monday = 0 (pandas), hour 0-23. Missing stays NaN.
 * @example
 * const dt = new DatetimePartsExtractor().fit(tableFromArrays({ t: [new Date("2015-03-02T07:00:00Z")] }));
 * dt.transform(tableFromArrays({ t: [new Date("2015-03-02T07:00:00Z")] })); // t_month = [3], t_day_of_week = [0], t_hour = [7]
 */
export class DatetimePartsExtractor
  extends Estimator<DatetimePartsParams, DatetimePartsState>
  implements Transformer
{
  static override readonly typeName = "DatetimePartsExtractor";
  static override readonly tags: EstimatorTags = {
    kind: "transformer",
    allowNaN: true,
    stochastic: false,
    input: "datetime",
  };
  static override testParams(): object[] {
    return [{}, { parts: ["year", "day", "minute"] }];
  }

  constructor(params: Partial<DatetimePartsParams> = {}) {
    super(DEFAULTS, params, SCHEMA);
  }

  /** Records the datetime columns. */
  fit(table: Table): this {
    this.validParams();
    checkNonEmpty(table, this.typeName);
    const columns = table.columns.map((c) => {
      if (c.kind === "string") {
        throw invalidParam(
          `DatetimePartsExtractor needs datetime columns but '${c.name}' holds strings: cast it to TIMESTAMP in the query`,
        );
      }
      return c.name;
    });
    this.fitted_ = { columns };
    return this;
  }

  /** Replaces each datetime column with its parts. */
  transform(table: Table): Table {
    const { columns } = this.assertFitted();
    const { parts } = this.getParams();
    return mapColumns(table, columns, this.typeName, (col) => {
      const v = col.values as Float64Array;
      return parts.map((part) => {
        const out = new Float64Array(v.length);
        for (let i = 0; i < v.length; i++) out[i] = Number.isNaN(v[i]!) ? Number.NaN : datePart(v[i]!, part);
        return numericColumn(`${col.name}_${part}`, out);
      });
    });
  }
}

/** One calendar part of an epoch-ms time, read in UTC. */
export function datePart(ms: number, part: DatetimePart): number {
  switch (part) {
    case "hour":
      return Math.floor((((ms % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / 3_600_000);
    case "minute":
      return Math.floor((((ms % 3_600_000) + 3_600_000) % 3_600_000) / 60_000);
    case "day_of_week":
      // 1970-01-01 was a Thursday (Monday = 0 → Thursday = 3).
      return (((Math.floor(ms / MS_PER_DAY) + 3) % 7) + 7) % 7;
    case "year":
      return new Date(ms).getUTCFullYear();
    case "month":
      return new Date(ms).getUTCMonth() + 1;
    case "day":
      return new Date(ms).getUTCDate();
  }
}

registerEstimators(DatetimePartsExtractor);
