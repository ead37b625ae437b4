// Model-in-service: a small Fastify service that embeds @keel/runtime and predicts inside its own
// route. No model server, no extra hop: the model is a library call (see README.md).
import { fileURLToPath } from "node:url";
import { loadModel } from "@keel/runtime";
import Fastify from "fastify";

/**
 * Builds the service around the model package in `modelDir`. `POST /flights/delay-risk` takes
 * one flight `{month, day_of_week, hour, distance, origin, destination}` and answers the delay
 * risk the app derives from the model's probability. Bad input is a 400 listing every problem
 * (the runtime's signature check); the model is released when the app closes.
 */
export async function buildApp({ modelDir, threshold = 0.5 }) {
  const model = await loadModel(modelDir);
  const app = Fastify({ logger: false });
  app.addHook("onClose", async () => model.release());
  app.setErrorHandler((error, _request, reply) => {
    // The runtime's errors carry MLflow's codes; INVALID_PARAMETER_VALUE means bad input.
    const status = error.code === "INVALID_PARAMETER_VALUE" ? 400 : (error.statusCode ?? 500);
    return reply.status(status).send({ error: error.message, problems: error.problems });
  });
  app.post("/flights/delay-risk", async (request) => {
    const p = await model.predict([request.body]);
    const delayed = p.classes.findIndex((c) => String(c) === "1");
    const risk = p.probabilities[delayed];
    // Business logic around the model lives in the app: here, a threshold and a message.
    return {
      risk: Math.round(risk * 1000) / 1000,
      advice: risk >= threshold ? "likely delayed: book a later connection" : "on time expected",
      model: model.manifest.name,
    };
  });
  return app;
}

// `node app.mjs MODEL_DIR [PORT]` runs the service.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [modelDir, port = "3000"] = process.argv.slice(2);
  if (!modelDir) {
    console.error("usage: node examples/model-in-service/app.mjs MODEL_DIR [PORT]");
    process.exit(2);
  }
  const app = await buildApp({ modelDir });
  await app.listen({ host: "127.0.0.1", port: Number(port) });
  console.log(`delay-risk service on http://127.0.0.1:${port}/flights/delay-risk`);
}
