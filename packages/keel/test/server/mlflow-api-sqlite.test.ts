import { defineMlflowApiSuite } from "./mlflow-api-suite.js";

// The harness gives each server a temp SQLite file when no backend URI is set.
defineMlflowApiSuite("SQLite", async () => ({ uri: undefined, kind: "sqlite", stop: async () => {} }));
