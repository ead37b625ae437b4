/** Model packages: model.json + model.onnx, hashed, written atomically, loaded without running code. */
export * from "./load-model-package.js";
export * from "./manifest-schema.js";
export * from "./package-hash.js";
export * from "./save-model-package.js";
