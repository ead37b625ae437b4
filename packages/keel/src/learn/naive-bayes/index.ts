/** Naive Bayes classifiers. */
export * from "./gaussian-nb.js";
