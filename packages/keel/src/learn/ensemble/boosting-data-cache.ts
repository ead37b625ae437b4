/**
 * Reuse of a boosting fit's prepared data across fits on the same rows. A search fits dozens of
 * configurations on each cross-validation fold; the validation split, the bin edges and the binned
 * rows depend only on the rows, the targets and a few params (not on the configuration searched),
 * and on 100k+ rows they cost more than a short fit's trees. Inside {@link withBoostingDataCache}
 * boosting looks them up by a SHA-256 of the data and those params; a hit gives exactly what a
 * fresh preparation gives (random state included), so results never depend on the cache.
 */
import { createHash } from "node:crypto";
import { LruByteCache } from "../../util/lru-byte-cache.js";
import type { Matrix } from "../core/matrix.js";
import type { Rng } from "../core/random.js";
import type { BinMapper } from "./bin-mapper.js";

/** What a boosting fit prepares before its first tree. */
export interface PreparedBoostingData {
  /**
   * Input rows the trees are grown on, or null for all of them (no validation split). Indices,
   * not a copy of the rows: an entry stays small, and never holds arrays its caller may change.
   */
  readonly trainRows: Int32Array | null;
  /** Their targets (null with `trainRows`: the input's own). */
  readonly ytr: Int32Array | Float64Array | null;
  /** Validation rows (early stopping; a copy, or the caller's `evalSet`), or null. */
  readonly Xva: Matrix | null;
  /** Their targets, or null. */
  readonly yva: Int32Array | Float64Array | null;
  /** Bin edges fitted on the training rows. */
  readonly mapper: BinMapper;
  /** The training rows binned, row-major. */
  readonly bins: Uint8Array;
  /** The same bins column-major. */
  readonly colBins: Uint8Array;
  /** The fit's random stream right after the preparation (clone it before drawing). */
  readonly rng: Rng;
}

/** Everything besides the data that the preparation depends on. */
export interface PreparationSettings {
  /** The fit's seed (it draws the validation split and the binning subsample). */
  readonly seed: number;
  /** Bins per feature. */
  readonly maxBins: number;
  /** Whether a validation split is held out (early stopping). */
  readonly early: boolean;
  /** Share of the rows held out. */
  readonly validationFraction: number;
  /** Whether the split is stratified by class. */
  readonly stratify: boolean;
}

/** Default cap on the bytes one cache holds (least recently used entries go first). */
export const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024;

/** Options of {@link BoostingDataCache}. */
export interface BoostingDataCacheOptions {
  /** Most bytes kept (an entry larger than this is not kept at all). */
  readonly maxBytes?: number;
  /**
   * The caller promises that no array given to a fit in this cache's scope ever changes
   * afterwards (a search's fold data): each column's digest is then computed once per array
   * and remembered, instead of hashing every column on every fit.
   */
  readonly immutableInputs?: boolean;
}

/** A bounded, least-recently-used store of prepared boosting data; see the module comment. */
export class BoostingDataCache extends LruByteCache<PreparedBoostingData> {
  // Remembered column digests (only with `immutableInputs`).
  readonly #digests: WeakMap<Float64Array | Int32Array, string> | null;

  constructor(options: BoostingDataCacheOptions = {}) {
    super(options.maxBytes ?? DEFAULT_CACHE_BYTES, preparedBytes);
    this.#digests = options.immutableInputs === true ? new WeakMap() : null;
  }

  /** SHA-256 of the training data and the settings the preparation depends on. */
  keyOf(X: Matrix, y: Int32Array | Float64Array, settings: PreparationSettings): string {
    const hash = createHash("sha256");
    hash.update(
      JSON.stringify({
        ...settings,
        rows: X.nRows,
        cols: X.nCols,
        y: y.constructor.name,
        names: X.names,
      }),
    );
    for (const a of [...X.columns, y]) hash.update(this.#digest(a));
    return hash.digest("hex");
  }

  #digest(a: Float64Array | Int32Array): string {
    const known = this.#digests?.get(a);
    if (known !== undefined) return known;
    const digest = createHash("sha256")
      .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
      .digest("hex");
    this.#digests?.set(a, digest);
    return digest;
  }
}

let active: BoostingDataCache | undefined;

/**
 * Runs `fn` (synchronous) with `cache` serving every boosting fit it makes; the previous cache,
 * if any, is back in place afterwards.
 */
export function withBoostingDataCache<T>(cache: BoostingDataCache, fn: () => T): T {
  const previous = active;
  active = cache;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** The cache serving fits right now, if any. */
export function activeBoostingDataCache(): BoostingDataCache | undefined {
  return active;
}

function preparedBytes(d: PreparedBoostingData): number {
  const matrixBytes = (m: Matrix | null) => (m ? m.nRows * m.nCols * 8 : 0);
  return (
    (d.trainRows?.byteLength ?? 0) +
    matrixBytes(d.Xva) +
    (d.ytr?.byteLength ?? 0) +
    (d.yva?.byteLength ?? 0) +
    d.bins.byteLength +
    d.colBins.byteLength +
    d.mapper.edges.reduce((s, e) => s + e.byteLength, 0)
  );
}
