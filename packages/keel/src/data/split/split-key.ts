/**
 * The deterministic "random" order of a split: each row number is mixed with the seed by a
 * 32-bit integer hash (Chris Wellons' lowbias32), written in plain SQL arithmetic so the order is
 * the same in every DuckDB version and can be recomputed in JS ({@link splitKey}). For a fixed
 * seed the hash is a bijection on 32-bit row numbers, so keys never tie.
 */

const MIX_STEPS = [
  { shift: 16, multiplier: 0x7feb352d },
  { shift: 15, multiplier: 0x846ca68b },
] as const;
const FINAL_SHIFT = 16;
const TWO_32 = 4294967296;

/** lowbias32 of an unsigned 32-bit integer. */
export function mix32(value: number): number {
  let x = value >>> 0;
  for (const { shift, multiplier } of MIX_STEPS) {
    x = (x ^ (x >>> shift)) >>> 0;
    x = Math.imul(x, multiplier) >>> 0;
  }
  return (x ^ (x >>> FINAL_SHIFT)) >>> 0;
}

/** The sort key of row `row` (1-based) under `seed`; what the SQL computes, for checks. */
export function splitKey(row: number, seed: number): number {
  return mix32(((row % TWO_32) ^ mix32(seed)) >>> 0);
}

/**
 * SQL that adds `keyColumn` (UBIGINT, the value of {@link splitKey}) to every row of `source`,
 * which must have the 1-based row number `rowColumn`. Each mixing step is one `SELECT * REPLACE`
 * so the expression is never duplicated.
 */
export function keyedSql(source: string, rowColumn: string, keyColumn: string, seed: number): string {
  const k = keyColumn;
  let sql = `SELECT *, xor(CAST(${rowColumn} % ${TWO_32} AS UBIGINT), CAST(${mix32(seed)} AS UBIGINT)) AS ${k} FROM (${source})`;
  for (const { shift, multiplier } of MIX_STEPS) {
    // x < 2^32 and multiplier < 2^32, so the product fits UBIGINT before the modulo.
    sql = `SELECT * REPLACE ((xor(${k}, ${k} >> ${shift}) * ${multiplier}) % ${TWO_32} AS ${k}) FROM (${sql})`;
  }
  return `SELECT * REPLACE (xor(${k}, ${k} >> ${FINAL_SHIFT}) AS ${k}) FROM (${sql})`;
}
