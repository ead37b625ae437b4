/**
 * Step sampling for metrics/get-history-bulk-interval, as MLflow's server does it: at most
 * `maxResults` evenly spaced steps from the logged ones in `[start, end]`, always keeping the
 * last step in range and each run's first and last step, so charts keep their end points.
 */

/**
 * Pick the steps to return.
 * @param stepsPerRun - the logged steps of each run (any order, duplicates allowed).
 * @param range - inclusive step range; defaults to `[0, largest logged step]`.
 * @param maxResults - how many evenly spaced steps to keep before adding the end points.
 * @returns the chosen steps, ascending.
 * @example
 * sampleSteps([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]], undefined, 3); // [0, 3, 6, 9]
 */
export function sampleSteps(
  stepsPerRun: readonly (readonly number[])[],
  range: { start: number; end: number } | undefined,
  maxResults: number,
): number[] {
  const all = [...new Set(stepsPerRun.flat())].sort((a, b) => a - b);
  const start = range?.start ?? 0;
  const end = range?.end ?? all.at(-1) ?? 0;
  const inRange = all.filter((s) => s >= start && s <= end);
  const chosen = new Set<number>();
  if (inRange.length <= maxResults) {
    for (const s of inRange) chosen.add(s);
  } else {
    const interval = inRange.length / maxResults;
    for (let i = 0; i < maxResults; i++) chosen.add(inRange[Math.floor(i * interval)]!);
    chosen.add(inRange.at(-1)!);
  }
  for (const steps of stepsPerRun) {
    if (steps.length === 0) continue;
    for (const s of [Math.min(...steps), Math.max(...steps)]) if (s >= start && s <= end) chosen.add(s);
  }
  return [...chosen].sort((a, b) => a - b);
}
