/**
 * DatetimePartsExtractor with standard ops on float64 epoch milliseconds (exact for integers
 * below 2^53): hour, minute and day of week by floor division; year, month and day by Howard
 * Hinnant's `civil_from_days`, written with Floor/Mul/Sub only. Results are cast to float.
 */
import type { DatetimePart, DatetimePartsState } from "../../transform/datetime-parts.js";
import { registerConverter } from "../converter-registry.js";
import type { GraphBuilder } from "../graph-builder.js";
import { cast } from "../graph-ops.js";
import { derived, mapSymbolicColumns } from "./column-step.js";

const MS_PER_DAY = 86_400_000;

/** Float64 arithmetic on one column, with constants created on demand. */
class DoubleMath {
  constructor(
    readonly g: GraphBuilder,
    readonly prefix: string,
  ) {}

  c(v: number): string {
    return this.g.constant(`${this.prefix}_c`, { type: "double", dims: [1, 1], values: [v] });
  }
  op(op: string, a: string, b: string): string {
    return this.g.node(op, [a, b], {}, { outputs: [`${this.prefix}_${op.toLowerCase()}`] })[0]!;
  }
  /** floor(a / b) for a constant b. */
  fdiv(a: string, b: number): string {
    const q = this.op("Div", a, this.c(b));
    return this.g.node("Floor", [q], {}, { outputs: [`${this.prefix}_floor`] })[0]!;
  }
  /** a - floor(a / b) * b: the non-negative remainder, as JavaScript's ((a % b) + b) % b. */
  mod(a: string, b: number): string {
    return this.op("Sub", a, this.op("Mul", this.fdiv(a, b), this.c(b)));
  }
  add(a: string, b: number | string): string {
    return this.op("Add", a, typeof b === "number" ? this.c(b) : b);
  }
  sub(a: string, b: string): string {
    return this.op("Sub", a, b);
  }
  mul(a: string, b: number): string {
    return this.op("Mul", a, this.c(b));
  }
}

/** Year, month (1-12) and day (1-31) tensors of day numbers since 1970-01-01. */
function civilFromDays(m: DoubleMath, days: string): { year: string; month: string; day: string } {
  const z = m.add(days, 719_468);
  const era = m.fdiv(z, 146_097);
  const doe = m.sub(z, m.mul(era, 146_097));
  const yoeNum = m.sub(m.add(m.sub(doe, m.fdiv(doe, 1460)), m.fdiv(doe, 36_524)), m.fdiv(doe, 146_096));
  const yoe = m.fdiv(yoeNum, 365);
  const doy = m.sub(doe, m.sub(m.add(m.mul(yoe, 365), m.fdiv(yoe, 4)), m.fdiv(yoe, 100)));
  const mp = m.fdiv(m.add(m.mul(doy, 5), 2), 153);
  const day = m.add(m.sub(doy, m.fdiv(m.add(m.mul(mp, 153), 2), 5)), 1);
  // January and February belong to the next year in this March-based calendar.
  const janFeb = m.fdiv(m.add(mp, 2), 12);
  const month = m.sub(m.add(mp, 3), m.mul(janFeb, 12));
  const year = m.add(m.add(yoe, m.mul(era, 400)), janFeb);
  return { year, month, day };
}

registerConverter("DatetimePartsExtractor", {
  kind: "transformer",
  convert({ g }, est, table) {
    const { columns } = est.assertFitted() as DatetimePartsState;
    const { parts } = est.getParams() as { parts: readonly DatetimePart[] };
    return mapSymbolicColumns(table, columns, (col) => {
      const m = new DoubleMath(g, col.name);
      const ms = col.kind === "datetime" ? col.tensor : cast(g, col.tensor, "double", `${col.name}_double`);
      const days = m.fdiv(ms, MS_PER_DAY);
      let civil: ReturnType<typeof civilFromDays> | undefined;
      const partTensor = (part: DatetimePart): string => {
        switch (part) {
          case "hour":
            return m.fdiv(m.mod(ms, MS_PER_DAY), 3_600_000);
          case "minute":
            return m.fdiv(m.mod(ms, 3_600_000), 60_000);
          case "day_of_week":
            // 1970-01-01 was a Thursday (Monday = 0 → Thursday = 3).
            return m.mod(m.add(days, 3), 7);
          default:
            civil ??= civilFromDays(m, days);
            return civil[part];
        }
      };
      return parts.map((part) => {
        const name = `${col.name}_${part}`;
        return derived(col, name, cast(g, partTensor(part), "float", name));
      });
    });
  },
});
