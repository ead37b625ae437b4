/** Helpers for loading related rows of many parents in a few `IN (...)` queries (no N+1). */

/** Ids per `IN (...)` list: well under SQLite's and PostgreSQL's bound-parameter limits. */
export const IN_LIST_CHUNK = 500;

/** Split `items` into consecutive chunks of at most `size`. */
export function chunked<T>(items: readonly T[], size: number = IN_LIST_CHUNK): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Run `query` on each chunk of `ids` and concatenate the rows. */
export async function loadInChunks<I, R>(
  ids: readonly I[],
  query: (chunk: I[]) => Promise<R[]>,
): Promise<R[]> {
  const rows: R[] = [];
  for (const chunk of chunked([...new Set(ids)])) rows.push(...(await query(chunk)));
  return rows;
}

/** Group rows by a key, keeping row order within each group. */
export function groupBy<R, K>(rows: readonly R[], key: (row: R) => K): Map<K, R[]> {
  const groups = new Map<K, R[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
