/** k-nearest-neighbour learners. */
export * from "./k-neighbors.js";
export * from "./neighbor-search.js";
