/**
 * Serving endpoints (Keel's rollouts; MLflow has no equivalent): a named endpoint with its
 * traffic policy, a revision that grows with every change, and an append-only event history.
 * `keel endpoint serve` polls the revision and applies a new policy live.
 */
import type { MetadataStore } from "./metadata-store.js";

/** Rollout strategies of a candidate version. */
export const ROLLOUT_STRATEGIES = ["blue-green", "canary", "shadow", "ab"] as const;

/** One of {@link ROLLOUT_STRATEGIES}. */
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];

/** A model version an endpoint routes to. */
export interface EndpointVersion {
  /** Concrete reference: `models:/NAME/VERSION` (aliases are resolved at deploy time) or a folder. */
  readonly ref: string;
  /** Model name (registered name, or the package's manifest name). */
  readonly model: string;
  /** Version label (registry version; "1" for a folder). */
  readonly version: string;
}

/** Canary limits and schedule. */
export interface CanaryParams {
  /** Percent of traffic on the candidate at each step, increasing, ending at 100. */
  readonly steps: readonly number[];
  /** Time between decisions, in ms. */
  readonly intervalMs: number;
  /** Highest candidate error rate (0..1) that still advances. */
  readonly maxErrorRate: number;
  /** Highest candidate p99 inference latency (ms) that still advances. */
  readonly maxP99Ms: number;
  /** Lowest accuracy difference candidate - stable (when labels arrived) that still advances. */
  readonly minAccuracyDelta?: number | undefined;
  /** Fewest candidate requests in an interval before a decision is taken. */
  readonly minRequests: number;
}

/** A/B split. */
export interface AbParams {
  /** Percent of keys assigned to the candidate (arm B). */
  readonly split: number;
  /** Request header whose value is hashed for sticky assignment. */
  readonly keyHeader: string;
}

/** Which versions take which traffic. */
export interface TrafficPolicy {
  /** The version that answers by default. */
  readonly stable: EndpointVersion;
  /** The stable version before the last switch (kept loaded for an instant rollback). */
  readonly previous?: EndpointVersion | undefined;
  /** A version being rolled out, with its strategy. */
  readonly candidate?: EndpointVersion | undefined;
  /** Strategy of the candidate. */
  readonly strategy?: RolloutStrategy | undefined;
  /** Canary schedule and limits (strategy canary). */
  readonly canary?: CanaryParams | undefined;
  /** Index into `canary.steps` of the current step. */
  readonly canaryStep?: number | undefined;
  /** When the current canary step started (epoch ms). */
  readonly stepStartedAt?: number | undefined;
  /** A/B split (strategy ab). */
  readonly ab?: AbParams | undefined;
}

/** An endpoint as stored. */
export interface Endpoint {
  /** Name; also the model name in `/v2/models/{name}`. */
  readonly name: string;
  /** Current traffic policy. */
  readonly policy: TrafficPolicy;
  /** 1 at creation, +1 on every change. */
  readonly revision: number;
  /** Creation time (epoch ms). */
  readonly createdAt: number;
  /** Last change (epoch ms). */
  readonly updatedAt: number;
}

/** Kinds of endpoint events. */
export const ENDPOINT_EVENT_TYPES = [
  "created",
  "deployed",
  "step_advanced",
  "promoted",
  "rolled_back",
] as const;

/** One of {@link ENDPOINT_EVENT_TYPES}. */
export type EndpointEventType = (typeof ENDPOINT_EVENT_TYPES)[number];

/** What a caller records with a change. */
export interface NewEndpointEvent {
  /** Kind of change. */
  readonly type: EndpointEventType;
  /** Who or what decided: a user name, or `controller` for automatic decisions. */
  readonly actor: string;
  /** One sentence saying what happened and why. */
  readonly message: string;
  /** Measured figures behind an automatic decision, versions involved, parameters. */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

/** A recorded event. */
export interface EndpointEvent extends NewEndpointEvent {
  /** Endpoint name. */
  readonly endpoint: string;
  /** 1, 2, ... per endpoint. */
  readonly seq: number;
  /** Endpoint revision this event produced. */
  readonly revision: number;
  /** When (epoch ms). */
  readonly time: number;
}

/**
 * Endpoints and their history. Every public method is one transaction; errors are KeelErrors
 * with MLflow codes.
 */
export interface EndpointStore {
  /** Creates an endpoint at revision 1 with a `created` event; RESOURCE_ALREADY_EXISTS if taken. */
  createEndpoint(name: string, policy: TrafficPolicy, event: NewEndpointEvent): Promise<Endpoint>;
  /** One endpoint; RESOURCE_DOES_NOT_EXIST naming it when absent. */
  getEndpoint(name: string): Promise<Endpoint>;
  /** Every endpoint, by name. */
  listEndpoints(): Promise<Endpoint[]>;
  /**
   * Replaces the policy, bumps the revision and appends `event`, only when the stored revision
   * is still `expectedRevision` (INVALID_STATE otherwise: someone changed it meanwhile; re-read).
   */
  updateEndpoint(
    name: string,
    expectedRevision: number,
    policy: TrafficPolicy,
    event: NewEndpointEvent,
  ): Promise<Endpoint>;
  /** Events of an endpoint, oldest first (those with `seq > afterSeq` when given). */
  listEndpointEvents(name: string, afterSeq?: number): Promise<EndpointEvent[]>;
}

/** True when `store` keeps endpoints (SQLite and PostgreSQL stores, and a remote keel server's). */
export function hasEndpointStore(store: MetadataStore): store is MetadataStore & EndpointStore {
  const s = store as Partial<EndpointStore>;
  return typeof s.getEndpoint === "function" && typeof s.updateEndpoint === "function";
}
