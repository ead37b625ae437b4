/**
 * Run `fn` over `items` with at most `limit` calls in flight, keeping the results in input
 * order. The first failure stops new calls from starting and is rethrown once the calls already
 * in flight have settled (so no file handle outlives the operation).
 *
 * @example
 * const digests = await mapBounded(paths, 4, (p) => hashFile(p));
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
