/**
 * Open Inference Protocol (KServe V2) REST routes: health, server and model metadata, model
 * readiness, inference, and Keel's feedback extension (`POST /v2/models/{name}/feedback`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { invalidParam } from "../../errors.js";
import { KEEL_VERSION } from "../../version.js";
import { recordFeedback } from "../prediction-log/feedback-log.js";
import { decodeInferRequest } from "../protocol/v2-decode.js";
import { encodeOutputs, modelMetadata, outputMetadata } from "../protocol/v2-encode.js";
import { type ServeDeps, useRequestId } from "./serve-deps.js";

type ModelParams = { name: string; version?: string };

/** Extensions this server advertises in `GET /v2`. */
export const V2_EXTENSIONS = ["keel_feedback", "keel_prediction_log"] as const;

/** Mounts the V2 routes on `app`. */
export function registerV2Routes(app: FastifyInstance, deps: ServeDeps): void {
  const { service } = deps;
  const modelOf = (request: FastifyRequest) => {
    const p = request.params as ModelParams;
    const d = service.route({ modelName: p.name, version: p.version, headers: request.headers });
    deps.answeredBy.set(request, d.primary);
    return d;
  };

  app.get("/v2/health/live", async () => ({ live: true }));
  app.get("/v2/health/ready", async (_request, reply) => {
    const ready = service.router.all().every((m) => m.ready);
    return reply.status(ready ? 200 : 503).send({ ready });
  });
  app.get("/v2", async () => ({ name: "keel", version: KEEL_VERSION, extensions: V2_EXTENSIONS }));

  const metadata = async (request: FastifyRequest) => {
    const { primary } = modelOf(request);
    const versions = service.router.versionsOf(primary.name).map((m) => m.version);
    return modelMetadata(primary, versions);
  };
  app.get("/v2/models/:name", metadata);
  app.get("/v2/models/:name/versions/:version", metadata);

  const ready = async (request: FastifyRequest, reply: FastifyReply) => {
    const { primary } = modelOf(request);
    return reply.status(primary.ready ? 200 : 503).send({ name: primary.name, ready: primary.ready });
  };
  app.get("/v2/models/:name/ready", ready);
  app.get("/v2/models/:name/versions/:version/ready", ready);

  const infer = async (request: FastifyRequest, reply: FastifyReply) => {
    const receivedAt = Date.now();
    const decision = modelOf(request);
    const model = decision.primary;
    const names = outputMetadata(model).map((o) => o.name);
    const req = decodeInferRequest(request.body, model.signature, names);
    const id = useRequestId(request, reply, req.id);
    const answered = await service.answer(decision, req.input, req.decoded, {
      requestId: id,
      receivedAt,
      endpoint: (request.params as ModelParams).name,
    });
    // After a failover the fallback answered: report (and count) the version that did.
    deps.answeredBy.set(request, answered.model);
    const prediction = answered.prediction;
    return {
      model_name: answered.model.name,
      model_version: answered.model.version,
      id,
      ...(req.parameters ? { parameters: req.parameters } : {}),
      outputs: encodeOutputs(prediction, req.outputs),
    };
  };
  app.post("/v2/models/:name/infer", infer);
  app.post("/v2/models/:name/versions/:version/infer", infer);

  app.post("/v2/models/:name/feedback", async (request, reply) => {
    const { primary } = modelOf(request);
    const body = request.body as Record<string, unknown> | null;
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw invalidParam('Feedback must be a JSON object: {"request_id": "...", "label": ..., "row": 0}');
    }
    const requestId = body.request_id ?? body.id;
    const label = body.label;
    if (typeof requestId !== "string" || requestId === "") {
      throw invalidParam('Feedback needs "request_id": the id the inference response carried');
    }
    if (primary.task !== "regression" && !primary.classes.some((c) => String(c) === String(label))) {
      throw invalidParam(
        `Feedback label ${JSON.stringify(label)} is not a class of model '${primary.name}'; classes: ${primary.classes.join(", ")}`,
      );
    }
    if (primary.task === "regression" && (typeof label !== "number" || !Number.isFinite(label))) {
      throw invalidParam(`Feedback for regression model '${primary.name}' needs a numeric "label"`);
    }
    const row = body.row === undefined ? 0 : body.row;
    if (typeof row !== "number") throw invalidParam('Feedback "row" must be an integer >= 0');
    const record = await recordFeedback(deps.feedbackDir, requestId, label as string | number | boolean, {
      row,
    });
    return reply.status(200).send({ recorded: record });
  });
}
