import { z } from "zod";
import { invalidParam } from "../../errors.js";
import type { Matrix } from "../core/matrix.js";

/**
 * How many features a split may try: all (`null`), `"sqrt"`, `"log2"`, a fraction in (0, 1]
 * (1 = all), or an integer count >= 2 (capped at the number of features).
 */
export type MaxFeatures = "sqrt" | "log2" | number | null;

/** Zod schema of {@link MaxFeatures}. */
export const MAX_FEATURES_SCHEMA = z.union([
  z.enum(["sqrt", "log2"]),
  z.number().gt(0).lte(1),
  z.int().gte(2),
  z.null(),
]);

/** Growth limits shared by decision trees and random forests (scikit-learn's names, camelCase). */
export interface TreeGrowthParams {
  /** Maximum depth; null grows until leaves are pure or too small. */
  readonly maxDepth: number | null;
  /** A node needs at least this many samples to be split (an integer >= 2, or a fraction of the rows). */
  readonly minSamplesSplit: number;
  /** Each leaf keeps at least this many samples (an integer >= 1, or a fraction of the rows). */
  readonly minSamplesLeaf: number;
  /** Features tried per split. */
  readonly maxFeatures: MaxFeatures;
  /** Seed of the feature draws (and of bootstraps in forests). */
  readonly seed: number;
}

/** Zod shape of {@link TreeGrowthParams}. */
export const TREE_GROWTH_SHAPE = {
  maxDepth: z.int().gte(1).nullable(),
  minSamplesSplit: z.union([z.int().gte(2), z.number().gt(0).lt(1)]),
  minSamplesLeaf: z.union([z.int().gte(1), z.number().gt(0).lt(0.5)]),
  maxFeatures: MAX_FEATURES_SCHEMA,
  seed: z.int(),
};

/** Number of features tried per split for `spec` among `nFeatures` (at least 1). */
export function resolveMaxFeatures(spec: MaxFeatures, nFeatures: number): number {
  if (spec === null) return nFeatures;
  if (spec === "sqrt") return Math.max(1, Math.floor(Math.sqrt(nFeatures)));
  if (spec === "log2") return Math.max(1, Math.floor(Math.log2(nFeatures)));
  if (spec <= 1) return Math.max(1, Math.floor(spec * nFeatures));
  return Math.min(nFeatures, spec);
}

/** A count param given as an integer or a fraction of `nRows` (scikit-learn's ceil rule). */
export function resolveCount(value: number, nRows: number, floor: number): number {
  return Number.isInteger(value) && value >= 1 ? value : Math.max(floor, Math.ceil(value * nRows));
}

/** Rejects +-Infinity in features: NaN is a missing value, but infinities have no float32 split. */
export function checkNoInfinity(X: Matrix, who: string): void {
  for (let j = 0; j < X.nCols; j++) {
    const col = X.columns[j]!;
    for (let i = 0; i < col.length; i++) {
      const v = col[i]!;
      if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
        throw invalidParam(
          `${who} cannot use infinite values: column '${X.names[j]}' row ${i} is ${v}; replace it with NaN (missing) or a finite value`,
        );
      }
    }
  }
}
