/**
 * Routing: which hosted version answers a request, and which get a shadow copy. `keel serve`
 * hosts one version behind {@link SingleModelRouter}; endpoints with blue-green, canary, shadow
 * and A/B policies implement the same interface over several versions.
 */
import { notFound } from "../errors.js";
import type { ServedModel } from "./served-model.js";

/** What the router sees of a request. */
export interface RouteRequest {
  /** Model name from the URL; undefined for protocol routes without one (`/invocations`). */
  readonly modelName?: string | undefined;
  /** Version from the URL, when the client pinned one. */
  readonly version?: string | undefined;
  /** Request headers (sticky keys for A/B splits). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The router's answer. */
export interface RouteDecision {
  /** The version whose answer is returned. */
  readonly primary: ServedModel;
  /** Versions that get a copy of the request; their answers are logged, never returned. */
  readonly shadows: readonly ServedModel[];
  /**
   * A version that answers instead when the primary fails (a canary's stable version): the
   * request is retried on it once, so the client sees no failure while the error is counted.
   */
  readonly fallback?: ServedModel | undefined;
}

/** Chooses versions for requests; implementations must be cheap and synchronous. */
export interface Router {
  /**
   * The name clients address (an endpoint's name), when it is not the answering model's own:
   * requests without a name in the URL (`/invocations`) are logged under it.
   */
  readonly name?: string | undefined;
  /** Decides who answers; throws RESOURCE_DOES_NOT_EXIST for an unknown name or version. */
  route(request: RouteRequest): RouteDecision;
  /** Every hosted version of `name` (empty when the name is unknown). */
  versionsOf(name: string): readonly ServedModel[];
  /** Every hosted version (readiness, shutdown). */
  all(): readonly ServedModel[];
}

/** Serves one version under its name; a pinned version must be that version. */
export class SingleModelRouter implements Router {
  readonly #model: ServedModel;

  constructor(model: ServedModel) {
    this.#model = model;
  }

  route(request: RouteRequest): RouteDecision {
    const m = this.#model;
    if (request.modelName !== undefined && request.modelName !== m.name) {
      throw notFound(
        `Model '${request.modelName}' is not served here; this server serves '${m.name}' (version ${m.version}).`,
      );
    }
    if (request.version !== undefined && request.version !== m.version) {
      throw notFound(
        `Model '${m.name}' has no version '${request.version}' here; the served version is ${m.version}.`,
      );
    }
    return { primary: m, shadows: [] };
  }

  versionsOf(name: string): readonly ServedModel[] {
    return name === this.#model.name ? [this.#model] : [];
  }

  all(): readonly ServedModel[] {
    return [this.#model];
  }
}
