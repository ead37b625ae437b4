/**
 * MLflow's scoring server routes (`mlflow models serve`): `POST /invocations` (JSON or CSV),
 * `GET /ping`, `GET /health` and `GET /version`, so MLflow clients work unchanged.
 */
import type { FastifyInstance } from "fastify";
import { KeelError } from "../../errors.js";
import { KEEL_VERSION } from "../../version.js";
import {
  decodeInvocationsCsv,
  decodeInvocationsJson,
  encodePredictions,
} from "../protocol/mlflow-scoring.js";
import { type ServeDeps, useRequestId } from "./serve-deps.js";

/** Mounts the MLflow scoring routes on `app`. */
export function registerMlflowRoutes(app: FastifyInstance, deps: ServeDeps): void {
  const ping = async () => "\n";
  app.get("/ping", ping);
  app.get("/health", ping);
  app.get("/version", async () => KEEL_VERSION);

  app.post("/invocations", async (request, reply) => {
    const receivedAt = Date.now();
    const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    const decision = deps.service.route({ headers: request.headers });
    const model = decision.primary;
    deps.answeredBy.set(request, model);
    const input =
      type === "text/csv"
        ? decodeInvocationsCsv(String(request.body ?? ""), model.signature)
        : type === "application/json"
          ? decodeInvocationsJson(request.body, model.signature)
          : undefined;
    if (input === undefined) {
      throw new KeelError(
        "BAD_REQUEST",
        `This predictor only supports the following content types: ['text/csv', 'application/json']. Got '${type}'.`,
      );
    }
    const id = useRequestId(request, reply);
    const answered = await deps.service.answer(decision, input, undefined, {
      requestId: id,
      receivedAt,
      endpoint: deps.service.router.name ?? model.name,
    });
    deps.answeredBy.set(request, answered.model);
    return encodePredictions(answered.prediction);
  });
}
