// The one gbdt search space both sides search: the dimensions of Keel's default gbdt space that
// scikit-learn's HistGradientBoostingClassifier also has, with Keel's ranges read from the built
// package (so the two cannot drift apart). Everything else is fixed at the shared defaults.
import { DEFAULT_SPACES } from "../../packages/keel/dist/search/space/default-spaces.js";

/** Keel names of the searched dimensions (each has a scikit-learn twin in snake_case). */
export const SHARED_PARAMS = [
  "learningRate",
  "maxLeafNodes",
  "maxDepth",
  "minSamplesLeaf",
  "l2Regularization",
];

/**
 * Boosting rounds of a full-budget trial, fixed on both sides: 3^4, so halving with eta 3 runs
 * 3 / 9 / 27 / 81 rounds in both Keel (budget x maxIter) and scikit-learn (resource max_iter,
 * min_resources "exhaust"). Early stopping stays at both libraries' default ("auto").
 */
export const MAX_ITER = 81;

const snake = (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function sharedSpecs() {
  const specs = DEFAULT_SPACES.gbdt.params.filter((p) => SHARED_PARAMS.includes(p.name));
  if (specs.length !== SHARED_PARAMS.length)
    throw new Error("Keel's default gbdt space changed: update spaces.mjs");
  return specs;
}

/** `--space` overrides for Keel: the shared dims as in the defaults, maxIter fixed, the rest not searched. */
export function keelSpaceOverrides() {
  const gbdt = { maxIter: MAX_ITER };
  for (const p of DEFAULT_SPACES.gbdt.params)
    if (!SHARED_PARAMS.includes(p.name) && p.name !== "maxIter") gbdt[p.name] = null;
  return { gbdt };
}

/** The same dims for the peer: `{name, kind: "uniform"|"int", low, high, log}` with sklearn names. */
export function peerSpace() {
  return sharedSpecs().map((p) => ({
    name: snake(p.name),
    kind: p.dist.kind,
    low: p.dist.low,
    high: p.dist.high,
    log: p.dist.log === true,
  }));
}

/** One line per fact, for the bench's header. */
export function describeSpace() {
  const dims = peerSpace().map((p) => {
    const kind = p.kind === "int" ? (p.log ? "logint" : "int") : p.log ? "loguniform" : "uniform";
    return `${p.name} ${kind}[${p.low}, ${p.high}]`;
  });
  const unsearched = DEFAULT_SPACES.gbdt.params
    .map((p) => p.name)
    .filter((n) => !SHARED_PARAMS.includes(n) && n !== "maxIter");
  return [
    `searched (both sides, Keel's default gbdt ranges): ${dims.join(", ")}`,
    `fixed: max_iter ${MAX_ITER} (the halving resource: 3/9/27/81 rounds), early_stopping "auto" (on above 10,000 rows:`,
    "  10% validation, 10 rounds without improvement), everything else at the defaults (Keel's = sklearn 1.2's);",
    `  Keel's extra gbdt dims not searched here: ${unsearched.join(", ")}`,
  ];
}
