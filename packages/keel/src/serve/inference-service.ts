/**
 * The protocol-independent core of a request: predict with the routed version under a timeout,
 * log the prediction, and send shadow copies whose answers are logged but never returned.
 */
import type { Prediction } from "@keel/runtime";
import { KeelError } from "../errors.js";
import type { ColumnarInput } from "./columnar-input.js";
import type { DecodeProblems } from "./input-problems.js";
import type { PredictionLogger } from "./prediction-log/prediction-logger.js";
import type { RouteDecision, RouteRequest, Router } from "./router.js";
import type { ServedModel } from "./served-model.js";

/** What one request carries besides its input. */
export interface InferenceContext {
  /** Request id (logged, echoed). */
  readonly requestId: string;
  /** When the request arrived (epoch ms). */
  readonly receivedAt: number;
  /** The name the client addressed (endpoint or model). */
  readonly endpoint: string;
}

/** Options of {@link InferenceService}. */
export interface InferenceServiceOptions {
  /** Longest a prediction may take before the request fails with 503, in ms. */
  readonly timeoutMs: number;
  /** Where predictions are logged, if anywhere. */
  readonly predictionLog?: PredictionLogger | undefined;
  /** Inference time per version (metrics). */
  readonly onInference?: (model: ServedModel, seconds: number) => void;
  /** A shadow copy failed (counted, never returned). */
  readonly onShadowError?: (model: ServedModel, error: unknown) => void;
  /**
   * A version failed a request: `failover` when the decision's fallback then answered it (the
   * version's fault), `server` for a 5xx-class failure (timeout, internal), `client` for a
   * rejected input (a 4xx that no version would answer).
   */
  readonly onInferenceError?: (model: ServedModel, error: unknown, kind: InferenceErrorKind) => void;
}

/** How a failed prediction is counted; see {@link InferenceServiceOptions.onInferenceError}. */
export type InferenceErrorKind = "failover" | "server" | "client";

/** A prediction and the version that made it. */
export interface AnsweredPrediction {
  /** The prediction returned to the client. */
  readonly prediction: Prediction;
  /** The version that answered: the primary, or the fallback after a primary failure. */
  readonly model: ServedModel;
}

function errorKind(e: unknown): InferenceErrorKind {
  return e instanceof KeelError && e.status < 500 ? "client" : "server";
}

/** Routes, predicts, logs; see the module comment. */
export class InferenceService {
  /** The router deciding which version answers. */
  readonly router: Router;
  readonly #o: InferenceServiceOptions;

  constructor(router: Router, options: InferenceServiceOptions) {
    this.router = router;
    this.#o = options;
  }

  /** Which version answers `request` (404 KeelError for unknown names and versions). */
  route(request: RouteRequest): RouteDecision {
    return this.router.route(request);
  }

  /** Validates and predicts `input` with the decision's primary version; logs it; feeds shadows. */
  async predict(
    decision: RouteDecision,
    input: ColumnarInput,
    decoded: DecodeProblems | undefined,
    ctx: InferenceContext,
  ): Promise<Prediction> {
    return (await this.answer(decision, input, decoded, ctx)).prediction;
  }

  /**
   * As {@link predict}, also saying which version answered: when the primary fails and the
   * decision has a fallback, the request is retried once on the fallback.
   */
  async answer(
    decision: RouteDecision,
    input: ColumnarInput,
    decoded: DecodeProblems | undefined,
    ctx: InferenceContext,
  ): Promise<AnsweredPrediction> {
    let model = decision.primary;
    let prediction: Prediction;
    try {
      prediction = await this.#timed(model, input, decoded);
    } catch (e) {
      const fallback = decision.fallback;
      if (fallback === undefined || fallback === model) {
        this.#o.onInferenceError?.(model, e, errorKind(e));
        throw e;
      }
      try {
        prediction = await this.#timed(fallback, input, decoded);
      } catch (e2) {
        this.#o.onInferenceError?.(model, e, errorKind(e));
        this.#o.onInferenceError?.(fallback, e2, errorKind(e2));
        throw e2;
      }
      this.#o.onInferenceError?.(model, e, "failover");
      model = fallback;
    }
    this.#log(model, input, prediction, ctx, false);
    this.#feedShadows(decision, input, ctx);
    return { prediction, model };
  }

  async #timed(model: ServedModel, input: ColumnarInput, decoded: DecodeProblems | undefined) {
    const t0 = performance.now();
    const prediction = await this.#withTimeout(model.predict(input, decoded), model);
    this.#o.onInference?.(model, (performance.now() - t0) / 1000);
    return prediction;
  }

  #feedShadows(decision: RouteDecision, input: ColumnarInput, ctx: InferenceContext): void {
    for (const shadow of decision.shadows) {
      shadow.predict(input).then(
        (p) => this.#log(shadow, input, p, ctx, true),
        (e: unknown) => this.#o.onShadowError?.(shadow, e),
      );
    }
  }

  #log(
    model: ServedModel,
    input: ColumnarInput,
    prediction: Prediction,
    ctx: InferenceContext,
    shadow: boolean,
  ): void {
    this.#o.predictionLog?.log({
      requestId: ctx.requestId,
      receivedAt: ctx.receivedAt,
      endpoint: ctx.endpoint,
      model: model.name,
      version: model.version,
      input,
      prediction,
      latencyMs: Date.now() - ctx.receivedAt,
      shadow,
    });
  }

  #withTimeout<T>(work: Promise<T>, model: ServedModel): Promise<T> {
    const ms = this.#o.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new KeelError(
              "TEMPORARILY_UNAVAILABLE",
              `Inference with model '${model.name}' version ${model.version} did not finish within ${ms} ms; the server is overloaded or the request too large. Retry later, send fewer rows, or start the server with a larger --timeout-ms.`,
            ),
          ),
        ms,
      );
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}
