/** Linear models: least squares, ridge, and L2 logistic regression (L-BFGS). */
export * from "./lbfgs.js";
export * from "./linear-regression.js";
export * from "./logistic-regression.js";
export * from "./ridge.js";
