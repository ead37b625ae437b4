/** CART decision trees and the tree representation shared by forests, boosting and ONNX export. */
export * from "./decision-tree-classifier.js";
export * from "./decision-tree-regressor.js";
export * from "./float32-threshold.js";
export * from "./tree-arrays.js";
export * from "./tree-predict.js";
