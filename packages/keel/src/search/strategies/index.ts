/** Search strategies: the batch contract, grid, random, TPE and successive halving. */
export * from "./grid-strategy.js";
export * from "./halving-strategy.js";
export * from "./random-strategy.js";
export * from "./strategy.js";
export * from "./strategy-options.js";
export * from "./tpe-strategy.js";
export * from "./trial-stream.js";
