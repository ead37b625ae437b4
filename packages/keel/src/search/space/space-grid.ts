import { invalidParam } from "../../errors.js";
import { Rng } from "../../learn/core/random.js";
import { isActive } from "./active-params.js";
import { configKey } from "./config-key.js";
import { DEFAULT_GRID_POINTS, dimensionGrid } from "./grid-values.js";
import type { Config, ParamValue, SearchSpace } from "./types.js";

/** Options of {@link SpaceGrid}. */
export interface GridOptions {
  /** Grid points per numeric dimension (default 5). */
  readonly gridPoints?: number;
}

/**
 * The grid of a (possibly conditional) space, indexed without materialising it: points are
 * ordered like nested loops over the params in space order (the first param varies slowest),
 * and a conditional param only branches where it is active. Counts are memoised per param and
 * per value of the parents later params depend on, so a 10-dimensional grid costs microseconds.
 * @example
 * const grid = new SpaceGrid({ params: [{ name: "a", dist: { kind: "choice", values: [1, 2] } }] });
 * grid.size; // 2
 * grid.at(1); // { a: 2 }
 */
export class SpaceGrid {
  /** Number of grid points. */
  readonly size: number;
  readonly #space: SearchSpace;
  readonly #values: readonly (readonly ParamValue[])[];
  readonly #parents: readonly (readonly string[])[];
  readonly #memo = new Map<string, number>();

  constructor(space: SearchSpace, options: GridOptions = {}) {
    this.#space = space;
    const points = options.gridPoints ?? DEFAULT_GRID_POINTS;
    this.#values = space.params.map((p) => dimensionGrid(p.dist, points));
    // Parents referenced by any param from i on: the only part of a partial config that
    // changes how many points remain below position i.
    const parents: string[][] = [];
    let acc = new Set<string>();
    for (let i = space.params.length - 1; i >= 0; i--) {
      acc = new Set([...acc, ...Object.keys(space.params[i]!.when ?? {})]);
      parents[i] = [...acc].sort();
    }
    this.#parents = parents;
    this.size = this.#count(0, {});
    if (!Number.isSafeInteger(this.size)) {
      throw invalidParam(`The search grid has about ${this.size.toExponential(2)} points; lower gridPoints`);
    }
  }

  /** The point of 0-based rank `rank` (0 <= rank < size). */
  at(rank: number): Config {
    if (!Number.isInteger(rank) || rank < 0 || rank >= this.size) {
      throw invalidParam(`Grid rank ${rank} is outside 0..${this.size - 1}`);
    }
    const config: Record<string, ParamValue> = {};
    let rest = rank;
    this.#space.params.forEach((spec, i) => {
      if (!isActive(spec, config)) return;
      for (const v of this.#values[i]!) {
        config[spec.name] = v;
        const below = this.#count(i + 1, config);
        if (rest < below) return;
        rest -= below;
      }
    });
    return config;
  }

  /**
   * Up to `limit` points: all of them in grid order when the grid is small enough, else a
   * seeded sample of distinct ranks, still in grid order.
   */
  select(limit: number, seed: number): Config[] {
    if (this.size <= limit) return Array.from({ length: this.size }, (_, r) => this.at(r));
    return sampleRanks(this.size, limit, new Rng(seed)).map((r) => this.at(r));
  }

  #count(i: number, partial: Config): number {
    const params = this.#space.params;
    if (i >= params.length) return 1;
    const restricted: Record<string, ParamValue> = {};
    for (const p of this.#parents[i]!) if (Object.hasOwn(partial, p)) restricted[p] = partial[p]!;
    const key = `${i}|${configKey(restricted)}`;
    const cached = this.#memo.get(key);
    if (cached !== undefined) return cached;
    const spec = params[i]!;
    let total = 0;
    if (!isActive(spec, partial)) total = this.#count(i + 1, partial);
    else for (const v of this.#values[i]!) total += this.#count(i + 1, { ...partial, [spec.name]: v });
    this.#memo.set(key, total);
    return total;
  }
}

// k distinct ranks of 0..n-1 (Floyd's algorithm), ascending.
function sampleRanks(n: number, k: number, rng: Rng): number[] {
  const picked = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = Math.floor((rng.next() + rng.next() / 4294967296) * (j + 1));
    picked.add(picked.has(t) ? j : t);
  }
  return [...picked].sort((a, b) => a - b);
}
